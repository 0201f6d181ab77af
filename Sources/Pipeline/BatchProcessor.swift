import Foundation
import Firehose
import Mapping
import ServiceSupport
import Sink
import Synchronization

/// Turns one Firehose request into durable objects: decode → unpack → extract → map → splice → partition →
/// compress → write. Answers 200 only after the sink has made every object of the batch durable.
public final class BatchProcessor: Sendable {
    /// What the service answers, and what happened.
    public struct Outcome: Sendable {
        /// The HTTP status.
        public var status: Int
        /// The Firehose JSON response body.
        public var body: [UInt8]
        /// The request id echoed (the header's, else the body's, else empty).
        public var requestID: String
        /// Counts and timings of the batch.
        public var report: BatchReport
        /// The error code when the batch failed.
        public var errorCode: String?
    }

    /// The service configuration.
    let configuration: Configuration
    /// Checks `X-Amz-Firehose-Access-Key`.
    let accessKeys: AccessKeyStore
    /// Decodes the request body into records.
    let decoder: FirehoseBatchDecoder
    /// Unpacks, extracts, maps and splices events (shared with the Lambda transform).
    let enricher: EventEnricher
    /// Where objects are written.
    let sink: any ObjectSink
    /// Names objects from partitions and the request id.
    let keys = ObjectKeyBuilder()
    /// The Security Lake writer (and spool) when the format is `parquet`.
    let securityLake: SecurityLakeOutput?
    /// Most threads one large batch is prepared, spliced and compressed on (``Configuration/batchThreads``, else
    /// the cores).
    let batchThreads: Int
    /// Whether a batch gets only the cores the other batches in process leave idle (``Configuration/batchThreads``
    /// 0).
    let adaptsBatchThreads: Bool
    /// Batches being processed now.
    private let batchesInProcess = Atomic<Int>(0)
    /// Record bytes from which a batch gives its freed memory back to the system when it ends: 8 MiB.
    static let trimAfterRecordBytes = 8 << 20

    /// Creates a processor.
    /// - Parameters:
    ///   - configuration: the service configuration.
    ///   - mapper: the compliance mapper.
    ///   - mappingOptions: frameworks, threshold and top-k for every event.
    ///   - sink: where objects are written.
    ///   - securityLake: the OCSF Parquet writer and spool; required when the format is `parquet`, else ignored.
    ///     Default: none.
    public convenience init(
        configuration: Configuration,
        mapper: any ComplianceMapper,
        mappingOptions: MappingOptions,
        sink: any ObjectSink,
        securityLake: SecurityLakeOutput? = nil
    ) {
        self.init(
            configuration: configuration,
            mapper: mapper,
            mappingOptions: mappingOptions,
            sink: sink,
            securityLake: securityLake,
            accessKeys: AccessKeyStore(configuration: configuration)
        )
    }

    /// Creates a processor that checks requests against a given key store (the service's, which logs reloads).
    init(
        configuration: Configuration,
        mapper: any ComplianceMapper,
        mappingOptions: MappingOptions,
        sink: any ObjectSink,
        securityLake: SecurityLakeOutput?,
        accessKeys: AccessKeyStore
    ) {
        self.securityLake = configuration.format == .parquet ? securityLake : nil
        self.configuration = configuration
        self.accessKeys = accessKeys
        self.decoder = FirehoseBatchDecoder(
            limits: FirehoseBatchDecoder.Limits(
                maxDecompressedBodyBytes: configuration.maxDecompressedBytes,
                maxRecords: configuration.maxRecords,
                maxRecordBytes: configuration.maxRecordBytes,
                maxBodyJSONValues: max(200_000, configuration.maxRecords * 8 + 64)
            )
        )
        self.enricher = EventEnricher(configuration: configuration, mapper: mapper, mappingOptions: mappingOptions)
        self.sink = sink
        self.batchThreads =
            configuration.batchThreads > 0 ? configuration.batchThreads : ProcessInfo.processInfo.activeProcessorCount
        self.adaptsBatchThreads = configuration.batchThreads == 0
    }

    /// Processes one request.
    /// - Parameters:
    ///   - head: the Firehose headers.
    ///   - body: the request body as received.
    /// - Returns: the response to send and what happened.
    public func process(head: FirehoseRequestHead, body: [UInt8]) -> Outcome {
        // Counted from the start: a batch being decoded keeps a core busy too.
        let running = batchesInProcess.add(1, ordering: .relaxed).newValue
        defer { batchesInProcess.subtract(1, ordering: .relaxed) }
        var report = BatchReport()
        report.wireBytes = body.count
        let fallbackID = head.requestID ?? ""
        guard accessKeys.current.accepts(head) else {
            let error = FirehoseError.unauthorized(
                keyPresent: head.accessKey != nil,
                repeated: head.accessKeyRepeated,
                requestID: head.requestID
            )
            return failure(
                error.httpStatus,
                requestID: fallbackID,
                code: error.code.name,
                message: error.message,
                report
            )
        }
        let threads = adaptsBatchThreads ? max(1, batchThreads - running + 1) : batchThreads
        let batch: FirehoseBatch
        var prepared: PreparedBatch?
        if let overlapped = decodeAndPrepareOverlapped(body: body, head: head, threads: threads, report: &report) {
            batch = overlapped.batch
            prepared = PreparedBatch(runs: overlapped.runs, texts: overlapped.texts)
        } else {
            do {
                let clock = StageClock()
                batch = try decoder.decode(body: body, head: head)
                report.timings.decode = clock.elapsed()
            } catch {
                let requestID = error.requestID ?? fallbackID
                return failure(
                    error.httpStatus,
                    requestID: requestID,
                    code: error.code.name,
                    message: error.message,
                    report
                )
            }
        }
        report.records = batch.records.count
        do {
            let objects = try buildObjects(batch, head: head, threads: threads, prepared: &prepared, report: &report)
            report.objectsAttempted = objects.count
            let clock = StageClock()
            switch objects {
            case .ready(let objects): try sink.put(objects)
            case .staged(let staging, _): try staging.commit()
            }
            report.timings.write = clock.elapsed()
            report.objects = objects.count
        } catch let error as SinkError {
            return failure(503, requestID: batch.requestID, code: "sink.\(error.code)", message: error.message, report)
        } catch let error as MappingUnavailable {
            return failure(503, requestID: batch.requestID, code: error.code, message: error.message, report)
        } catch let error as SecurityLakeSpoolError {
            return failure(503, requestID: batch.requestID, code: "spool.\(error.code)", message: error.message, report)
        } catch let error as MappingError {
            return failure(500, requestID: batch.requestID, code: "mapping.\(error.code)", message: "\(error)", report)
        } catch {
            return failure(500, requestID: batch.requestID, code: "internal", message: "internal error", report)
        }
        // A large batch's memory, freed once it is answered, may sit in another arena than the next large batch
        // allocates from: it is given back to the system then, off the request's path.
        if report.recordBytes >= Self.trimAfterRecordBytes {
            DispatchQueue.global(qos: .utility).async { AllocatorTuning.releaseFreedMemory() }
        }
        let requestID = batch.requestID
        // Its records are freed off the request's path when it had cores to itself.
        BackgroundRelease.release(consume batch, inBackground: freesInBackground(threads: threads, report: report))
        let body = FirehoseResponse.body(requestID: requestID, timestampMillis: UTCTime.nowMillis(), errorMessage: nil)
        return Outcome(status: 200, body: body, requestID: requestID, report: report, errorCode: nil)
    }

    private func failure(
        _ status: Int,
        requestID: String,
        code: String,
        message: String,
        _ report: BatchReport
    ) -> Outcome {
        let body = FirehoseResponse.body(
            requestID: requestID,
            timestampMillis: UTCTime.nowMillis(),
            errorMessage: message
        )
        return Outcome(status: status, body: body, requestID: requestID, report: report, errorCode: code)
    }
}
