import Codecs
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
        /// Whether a gzip record found less than ``Configuration/maxInflatedRecordBytes`` left in the batch's inflate
        /// budget, so that its outcome may depend on the order in which runs prepared at once drew on it: the batch is
        /// then prepared again as one run.
        var reachedInflateBudget = false
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
    /// - Returns: The events in runs, whose text indexes point into `texts`.
    func prepareRecords(
        _ batch: FirehoseBatch,
        head: FirehoseRequestHead,
        threads: Int,
        texts: inout EventEnricher.TextTable,
        report: inout BatchReport
    ) -> PreparedRuns {
        let defaultTime = Self.defaultEventTime(batch.timestampMillis)
        let recordBytes = batch.records.reduce(0) { $0 + $1.count }
        let threads = min(
            threads,
            recordBytes / Self.preparationBytesPerThread,
            batch.records.count
        )
        var parts: [PreparedRecords]
        // Runs prepared at once draw on one budget, record by record.
        let inflateBudget = InflateBudgetPool(total: configuration.maxInflatedBatchBytes)
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
            // Taken out of the lock's storage, so that the merge below owns every run alone.
            parts = prepared.withLock { stored in
                var taken: [PreparedRecords] = []
                swap(&taken, &stored)
                return taken
            }
            settleInflateBudget(&parts, batch: batch, head: head, defaultTime: defaultTime)
        }
        return merge(parts, texts: &texts, report: &report)
    }

    /// Joins runs prepared apart, in order: one text table (each text keeps its first-seen place), the events' text
    /// indexes moved into it (in place: the events themselves are not copied), the runs' counts and times summed.
    func merge(
        _ parts: consuming [PreparedRecords],
        texts: inout EventEnricher.TextTable,
        report: inout BatchReport
    ) -> PreparedRuns {
        var runs: PreparedRuns = []
        runs.reserveCapacity(parts.count)
        for part in parts.indices {
            // Taken out, not copied, so each run is changed in place.
            var events: [PreparedEvent] = []
            swap(&events, &parts[part].events)
            if part == 0 {
                // The first run's table and events stay as they are; later runs' texts are looked up in it.
                swap(&texts, &parts[part].texts)
            } else {
                // Each text keeps its event type: the engine maps a text such as "event 12" from that alone.
                let table = parts[part].texts
                let indexes = table.texts.indices.map { texts.index(ofTextAt: $0, in: table) }
                events.withUnsafeMutableBufferPointer { events in
                    for index in events.indices {
                        events[index].event.textIndex = events[index].event.textIndex.map { indexes[$0] }
                    }
                }
            }
            runs.append(events)
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
        return runs
    }

    /// Prepares one run of records on the calling thread; each gzip record reserves up to
    /// ``Configuration/maxInflatedRecordBytes`` of `inflateBudget` and gives back what it did not use.
    func prepare(
        _ records: ArraySlice<[UInt8]>,
        head: FirehoseRequestHead,
        defaultTime: Int64,
        inflateBudget: InflateBudgetPool
    ) -> PreparedRecords {
        let recordLimit = configuration.maxInflatedRecordBytes
        let clock = StageClock()
        var part = PreparedRecords()
        part.events.reserveCapacity(records.count)
        // Neighbouring events mostly share a partition: its inputs are compared instead of rebuilt.
        var recent: (inputs: PartitionInputs, partition: ObjectKeyBuilder.Partition)?
        for record in records {
            part.report.recordBytes += record.count
            let isGzip = Gzip.isGzip(record)
            var reserved = isGzip ? inflateBudget.reserve(upTo: recordLimit) : 0
            if isGzip && reserved < recordLimit { part.reachedInflateBudget = true }
            let unpacked = enricher.unpacker.unpack(record, inflateBudget: &reserved)
            if isGzip { inflateBudget.giveBack(reserved) }
            switch unpacked {
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

    /// Leaves runs prepared at once as they are, unless the inflate budget may have decided a record's outcome (a
    /// gzip record is inflated only while the batch's budget, counted in record order, allows): the batch is then
    /// prepared again as one run with the whole budget, so the objects never depend on the threads or their timing.
    func settleInflateBudget(
        _ parts: inout [PreparedRecords],
        batch: FirehoseBatch,
        head: FirehoseRequestHead,
        defaultTime: Int64
    ) {
        guard parts.count > 1, parts.contains(where: \.reachedInflateBudget) else { return }
        parts = []
        let budget = InflateBudgetPool(total: configuration.maxInflatedBatchBytes)
        parts = [prepare(batch.records[...], head: head, defaultTime: defaultTime, inflateBudget: budget)]
    }

    /// The time of events that carry none: the request timestamp when plausible (milliseconds, 2000-2100; it is
    /// only a fallback), else now.
    static func defaultEventTime(_ requestMillis: Int64?) -> Int64 {
        plausible(requestMillis) ?? UTCTime.nowMillis()
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
