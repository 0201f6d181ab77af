import Codecs
import Extraction
import Firehose
import JSONBytes
import Mapping
import ServiceSupport

/// The Firehose data-transformation Lambda: turns an invocation event
/// (`{"invocationId","deliveryStreamArn","region","records":[{"recordId","approximateArrivalTimestamp","data"}]}`)
/// into `{"records":[{"recordId","result","data"}]}` with the same unpacking, extraction, mapping and lossless
/// splice as the HTTP endpoint.
///
/// Every input record is answered exactly once, in order, with its `recordId` as received:
/// - `Ok`: the record's events, each enriched and newline-terminated (a CloudWatch Logs `DATA_MESSAGE` becomes
///   one output record holding one line per log event); or the original data, unchanged, when enriching it would
///   push the response past ``responseLimit`` or mapping ran out of time (counted in the report).
/// - `Dropped`: CloudWatch Logs control messages, empty records and `DATA_MESSAGE`s without log events.
/// - `ProcessingFailed`: records whose `data` is not base64, is larger than `max_record_bytes`, or is corrupt
///   gzip; the original data is returned so Firehose keeps it in its processing-failed output.
public final class LambdaTransformer: Sendable {
    /// Lambda's limit on a synchronous response: 6 MB (6,291,456 bytes) of response JSON.
    public static let lambdaResponseLimit = 6_291_456

    /// Unpacks, extracts, maps and splices events.
    let enricher: EventEnricher
    /// The largest response document produced, in bytes. Default: ``lambdaResponseLimit``.
    public let responseLimit: Int
    /// Time kept free before the deadline to splice and answer; mapping must finish before it. Default: 1 s.
    public let answerMargin: Duration

    /// Creates a transformer.
    /// - Parameters:
    ///   - configuration: The configuration (`max_record_bytes`, text sources, member name, failure policy).
    ///   - mapper: The compliance mapper.
    ///   - mappingOptions: Frameworks, threshold and top-k.
    ///   - responseLimit: The largest response document, in bytes. Default: 6,291,456.
    ///   - answerMargin: Time kept free before the deadline to answer. Default: 1 s.
    public init(
        configuration: Configuration,
        mapper: any ComplianceMapper,
        mappingOptions: MappingOptions,
        responseLimit: Int = LambdaTransformer.lambdaResponseLimit,
        answerMargin: Duration = .seconds(1)
    ) {
        self.enricher = EventEnricher(configuration: configuration, mapper: mapper, mappingOptions: mappingOptions)
        self.responseLimit = responseLimit
        self.answerMargin = answerMargin
    }

    /// How one record is answered.
    enum Plan {
        /// `Dropped`, original data.
        case dropped
        /// `ProcessingFailed`, original data; why, for the log.
        case failed(String)
        /// `Ok` with these prepared events (indexes into the invocation's event list).
        case events(Range<Int>)
    }

    /// Transforms one invocation.
    /// - Parameters:
    ///   - event: The invocation's event document.
    ///   - timeLeft: Time until the function's deadline; `nil` when unknown (no deadline).
    /// - Returns: The response document and what happened.
    /// - Throws: ``TransformationError`` for an event that is not a data-transformation event, or when mapping
    ///   failed and `mapping_failure` is `fail`; Lambda then reports an invocation error and Firehose retries.
    public func transform(
        _ event: [UInt8],
        timeLeft: Duration?
    ) throws(TransformationError) -> (body: [UInt8], report: LambdaReport) {
        let started = ContinuousClock.now
        var report = LambdaReport()
        report.eventBytes = event.count
        var clock = StageClock()
        let invocation = try TransformationRecord.records(
            of: event,
            maxRecordBytes: enricher.configuration.maxRecordBytes
        )
        let records = invocation.records
        report.batch.records = records.count
        report.batch.timings.decode = clock.lap()

        var plans: [Plan] = []
        plans.reserveCapacity(records.count)
        var events: [EventEnricher.Event] = []
        var texts = EventEnricher.TextTable()
        var partitions: [ObjectKeyBuilder.Partition?] = []
        var inflateBudget = enricher.configuration.maxInflatedBatchBytes
        for (index, record) in records.enumerated() {
            let (plan, first) = plan(
                record,
                events: &events,
                texts: &texts,
                inflateBudget: &inflateBudget,
                report: &report.batch
            )
            partitions.append(
                enricher.configuration.lambdaPartitionKeys
                    ? first.map { partition(of: $0, record: record, stream: invocation.deliveryStream) } : nil
            )
            if case .failed(let reason) = plan, report.failureNotes.count < LambdaReport.maxFailureNotes {
                report.failureNotes.append("record \(index): \(reason)")
            }
            plans.append(plan)
        }
        report.batch.events = events.count
        report.batch.distinctTexts = texts.texts.count
        report.batch.timings.unpack = clock.lap() - report.batch.timings.extract

        let budget = timeLeft.map { $0 - (ContinuousClock.now - started) - answerMargin }
        let arrays = try mapWithin(texts.texts, hints: texts.hints, budget: budget, report: &report)
        report.batch.timings.map = clock.lap()

        let body = respond(
            records,
            plans: plans,
            partitionKeys: partitions.map { $0.map(Self.partitionKeysJSON) },
            events: events,
            arrays: arrays,
            report: &report
        )
        report.batch.timings.splice = clock.lap()
        report.responseBytes = body.count
        return (body, report)
    }

    /// Decides how a record is answered and prepares its events.
    /// - Returns: The plan, and for an `Ok` record its first event's metadata with the CloudWatch Logs context.
    private func plan(
        _ record: TransformationRecord,
        events: inout [EventEnricher.Event],
        texts: inout EventEnricher.TextTable,
        inflateBudget: inout Int,
        report: inout BatchReport
    ) -> (Plan, FirstEvent?) {
        let bytes: [UInt8]
        switch record.decoded {
        case .success(let decoded): bytes = decoded
        case .failure(let error): return (.failed(error.message), nil)
        }
        report.recordBytes += bytes.count
        switch enricher.unpacker.unpack(bytes, inflateBudget: &inflateBudget) {
        case .empty:
            report.emptyRecords += 1
            return (.dropped, nil)
        case .control:
            report.controlMessages += 1
            return (.dropped, nil)
        case .events(let inputs):
            guard let firstInput = inputs.first else { return (.dropped, nil) }
            if Self.isCorruptGzip(bytes, inputs) {
                return (.failed("its gzip is corrupt or inflates past max_inflated_record_bytes (or the invocation's "
                    + "records past max_inflated_batch_bytes)"), nil)
            }
            let first = events.count
            var firstMetadata: EventMetadata?
            for input in inputs {
                let (event, metadata) = enricher.prepare(input, texts: &texts, report: &report)
                events.append(event)
                if firstMetadata == nil { firstMetadata = metadata }
            }
            let context = firstMetadata.map { FirstEvent(metadata: $0, cloudWatch: firstInput.cloudWatch) }
            return (.events(first..<events.count), context)
        }
    }

    /// What the partition keys of a record are read from.
    struct FirstEvent {
        /// The record's first event's metadata.
        var metadata: EventMetadata
        /// Its CloudWatch Logs envelope, if any (owner and time fallbacks).
        var cloudWatch: CloudWatchLogsContext?
    }

    /// The partition of a record, from its first event, with the same fallbacks and path-safe values as the object
    /// keys of `serve`: the log event, then the record's arrival time and the delivery stream's region and account.
    private func partition(
        of first: FirstEvent,
        record: TransformationRecord,
        stream: FirehoseSourceARN?
    ) -> ObjectKeyBuilder.Partition {
        let metadata = first.metadata
        let time = metadata.timeMillis ?? BatchProcessor.plausible(first.cloudWatch?.timestampMillis)
            ?? BatchProcessor.plausible(record.arrivalMillis) ?? UTCTime.nowMillis()
        return ObjectKeyBuilder().partition(
            source: enricher.configuration.sourceName ?? metadata.kind.name,
            region: metadata.region ?? stream?.region,
            accountID: metadata.accountID ?? first.cloudWatch?.owner ?? stream?.account,
            timeMillis: time
        )
    }

    /// `,"metadata":{"partitionKeys":{…}}` for a partition (its values are path-safe, so need no escaping).
    static func partitionKeysJSON(_ partition: ObjectKeyBuilder.Partition) -> [UInt8] {
        Array(
            (#","metadata":{"partitionKeys":{"source":""# + partition.source + #"","region":""# + partition.region
                + #"","accountId":""# + partition.accountID + #"","eventDay":""# + partition.eventDay + #""}}"#)
                .utf8
        )
    }

    /// Whether the unpacker wrapped a gzip record it could not inflate (its documented
    /// `{"_raw_base64":…,"_decode_error":…}` form): such a record is `ProcessingFailed`, not enriched.
    static func isCorruptGzip(_ record: [UInt8], _ inputs: [InputEvent]) -> Bool {
        guard Gzip.isGzip(record), inputs.count == 1, inputs[0].isWrapped,
            let tape = try? JSONTape(parsing: inputs[0].bytes)
        else { return false }
        return tape.value(forKey: "_decode_error", in: tape.rootIndex) != nil
    }
}
