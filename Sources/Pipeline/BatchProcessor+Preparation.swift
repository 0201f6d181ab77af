import Dispatch
import Extraction
import Firehose
import ServiceSupport

extension BatchProcessor {
    /// What preparing a run of records produced.
    struct PreparedRecords: Sendable {
        /// The events, in record order.
        var events: [PreparedEvent] = []
        /// The run's distinct texts; the events' text indexes point into it.
        var texts = EventEnricher.TextTable()
        /// The run's record counts and extraction time.
        var report = BatchReport()
        /// The run's wall time, in seconds.
        var seconds = 0.0
    }

    /// Records per thread, at least, before a batch is prepared on several threads: 1 MiB.
    static let preparationBytesPerThread = 1 << 20

    /// Unpacks every record, parses its events, reads their metadata, extracts their texts and names their
    /// partitions. A batch of at least 2 MiB of records is cut into runs of at least 1 MiB prepared on up to
    /// `threads` threads at once (the events keep their order and the texts their first-seen order).
    /// - Parameters:
    ///   - batch: The decoded request.
    ///   - head: The request headers (source ARN fallbacks).
    ///   - threads: The most threads to prepare on.
    ///   - texts: Receives the batch's distinct texts (expected empty).
    ///   - report: Receives the record counts; `timings.unpack` and `timings.extract` are summed over the threads.
    /// - Returns: The events, whose text indexes point into `texts`.
    func prepareRecords(
        _ batch: FirehoseBatch,
        head: FirehoseRequestHead,
        threads: Int,
        texts: inout EventEnricher.TextTable,
        report: inout BatchReport
    ) -> [PreparedEvent] {
        // The request timestamp is only a fallback, and only when plausible (milliseconds, 2000-2100).
        let defaultTime = Self.plausible(batch.timestampMillis) ?? UTCTime.nowMillis()
        let recordBytes = batch.records.reduce(0) { $0 + $1.count }
        let threads = min(
            threads,
            recordBytes / Self.preparationBytesPerThread,
            batch.records.count
        )
        let parts: [PreparedRecords]
        // Runs prepared at once share the batch's inflate budget evenly.
        let inflateBudget = configuration.maxInflatedBatchBytes / max(threads, 1)
        if threads <= 1 {
            parts = [prepare(batch.records[...], head: head, defaultTime: defaultTime, inflateBudget: inflateBudget)]
        } else {
            let records = batch.records
            let runs = (0..<threads).map { run in
                records.count * run / threads..<records.count * (run + 1) / threads
            }
            let prepared = LockedValue([PreparedRecords](repeating: PreparedRecords(), count: threads))
            DispatchQueue.concurrentPerform(iterations: threads) { run in
                let part = prepare(
                    records[runs[run]],
                    head: head,
                    defaultTime: defaultTime,
                    inflateBudget: inflateBudget
                )
                prepared.withLock { $0[run] = part }
            }
            parts = prepared.withLock { $0 }
        }
        var events: [PreparedEvent] = []
        if parts.count == 1 {
            texts = parts[0].texts
            events = parts[0].events
        } else {
            events.reserveCapacity(parts.reduce(0) { $0 + $1.events.count })
            for part in parts {
                // Each text keeps its event type: the engine maps a text such as "event 12" from that alone.
                let indexes = zip(part.texts.texts, part.texts.hints).map { texts.index(of: $0, hint: $1) }
                for var prepared in part.events {
                    prepared.event.textIndex = prepared.event.textIndex.map { indexes[$0] }
                    events.append(prepared)
                }
            }
        }
        for part in parts {
            report.recordBytes += part.report.recordBytes
            report.emptyRecords += part.report.emptyRecords
            report.controlMessages += part.report.controlMessages
            report.wrappedEvents += part.report.wrappedEvents
            report.eventsWithoutText += part.report.eventsWithoutText
            report.timings.extract += part.report.timings.extract
            report.timings.unpack += part.seconds - part.report.timings.extract
        }
        return events
    }

    /// Prepares one run of records on the calling thread.
    private func prepare(
        _ records: ArraySlice<[UInt8]>,
        head: FirehoseRequestHead,
        defaultTime: Int64,
        inflateBudget: Int
    ) -> PreparedRecords {
        var inflateBudget = inflateBudget
        let clock = StageClock()
        var part = PreparedRecords()
        part.events.reserveCapacity(records.count)
        // Neighbouring events mostly share a partition: its inputs are compared instead of rebuilt.
        var recent: (inputs: PartitionInputs, partition: ObjectKeyBuilder.Partition)?
        for record in records {
            part.report.recordBytes += record.count
            switch enricher.unpacker.unpack(record, inflateBudget: &inflateBudget) {
            case .empty:
                part.report.emptyRecords += 1
            case .control:
                part.report.controlMessages += 1
            case .events(let inputs):
                for input in inputs {
                    let (event, metadata) = enricher.prepare(input, texts: &part.texts, report: &part.report)
                    let timeMillis = metadata.timeMillis ?? Self.plausible(input.cloudWatch?.timestampMillis)
                        ?? defaultTime
                    let inputs = PartitionInputs(
                        source: configuration.sourceName ?? metadata.kind.name,
                        region: metadata.region ?? head.sourceARNParts?.region,
                        accountID: metadata.accountID ?? input.cloudWatch?.owner ?? head.sourceARNParts?.account,
                        day: Self.day(of: timeMillis)
                    )
                    let partition: ObjectKeyBuilder.Partition
                    if let recent, recent.inputs == inputs {
                        partition = recent.partition
                    } else {
                        partition = keys.partition(
                            source: inputs.source,
                            region: inputs.region,
                            accountID: inputs.accountID,
                            timeMillis: timeMillis
                        )
                        recent = (inputs, partition)
                    }
                    part.events.append(PreparedEvent(event: event, partition: partition))
                }
            }
        }
        part.seconds = clock.elapsed()
        return part
    }

    /// What an event's partition is made of, before its values are made path-safe and its day formatted.
    struct PartitionInputs: Equatable {
        /// The source name.
        var source: String
        /// The event's region, else the stream's.
        var region: String?
        /// The event's account, else the stream's.
        var accountID: String?
        /// Days since the epoch (UTC) of the event time.
        var day: Int64
    }

    /// Days since the epoch (UTC) of a time in milliseconds, rounded down.
    static func day(of millis: Int64) -> Int64 {
        let perDay: Int64 = 86_400_000
        return millis >= 0 ? millis / perDay : (millis - perDay + 1) / perDay
    }
}
