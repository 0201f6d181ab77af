import Firehose
import Mapping
import Metrics
import RemoteMapping
import S3
import Sink

/// The service's metrics, served on `GET /metrics` (see README "Metrics"): request counts by path class and
/// status, batch contents from each ``BatchReport``, latency histograms, and mapper and sink statistics read at
/// scrape time.
final class ServiceMetrics: Sendable {
    /// Bucket bounds in seconds for batch and mapping latency: 1 ms to 180 s.
    static let latencyBounds: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 180,
    ]

    /// The families and their series.
    let registry = MetricsRegistry()
    /// The Firehose path, classed as `ingest`.
    let ingestPath: String
    /// Requests being answered now.
    let inFlight: Gauge
    private let records: Counter
    private let events: Counter
    private let emptyRecords: Counter
    private let controlMessages: Counter
    private let wrappedEvents: Counter
    private let eventsWithoutText: Counter
    private let ocsfRecords: Counter
    private let ocsfUnmapped: Counter
    private let ocsfInvalid: Counter
    private let wireBytes: Counter
    private let decodedBytes: Counter
    private let mappedTexts: Counter
    private let sinkWrites: Counter
    private let sinkObjects: Counter
    private let sinkBytes: Counter
    private let batchSeconds: Histogram
    private let mappingSeconds: Histogram
    /// Per stage of a stored batch, its time (``BatchReport/Timings``), in the order the stages run.
    private let stageSeconds: [(stage: @Sendable (BatchReport.Timings) -> Double, histogram: Histogram)]

    /// Creates the families.
    /// - Parameters:
    ///   - ingestPath: The Firehose path.
    ///   - mapper: The mapper; an ``EmbeddedMapper``'s cache statistics are exposed.
    ///   - remoteMapper: The remote mapper, when configured; its statistics are exposed.
    ///   - sink: The sink; an ``S3Sink``'s client statistics are exposed.
    init(ingestPath: String, mapper: any ComplianceMapper, remoteMapper: RemoteMapper?, sink: any ObjectSink) {
        self.ingestPath = ingestPath
        let r = registry
        let version: MetricLabels = ["version": BuildInfo.version]
        r.gauge("lakemark_build_info", help: "Always 1; the version is a label.", labels: version).set(1)
        inFlight = r.gauge("lakemark_http_requests_in_flight", help: "HTTP requests being answered now.")
        records = r.counter("lakemark_records_total", help: "Firehose records received in decoded batches.")
        events = r.counter("lakemark_events_total", help: "Events written to the sink.")
        let skipped = "Records skipped: empty, or CloudWatch Logs control messages."
        emptyRecords = r.counter("lakemark_records_skipped_total", help: skipped, labels: ["reason": "empty"])
        controlMessages = r.counter(
            "lakemark_records_skipped_total",
            help: skipped,
            labels: ["reason": "control_message"]
        )
        wrappedEvents = r.counter(
            "lakemark_wrapped_events_total",
            help: "Events written inside a _raw or _raw_base64 wrapper."
        )
        eventsWithoutText = r.counter(
            "lakemark_events_without_text_total",
            help: "Events written with no text to map (empty secberus_compliance)."
        )
        let ocsfHelp = "Parquet output: OCSF records written (or spooled), and events sent to the raw location."
        ocsfRecords = r.counter("lakemark_ocsf_events_total", help: ocsfHelp, labels: ["outcome": "record"])
        ocsfUnmapped = r.counter("lakemark_ocsf_events_total", help: ocsfHelp, labels: ["outcome": "no_mapping"])
        ocsfInvalid = r.counter("lakemark_ocsf_events_total", help: ocsfHelp, labels: ["outcome": "invalid"])
        let bytesHelp = "Ingest request bytes: body on the wire, and decoded record bytes."
        wireBytes = r.counter("lakemark_request_bytes_total", help: bytesHelp, labels: ["stage": "wire"])
        decodedBytes = r.counter("lakemark_request_bytes_total", help: bytesHelp, labels: ["stage": "decoded"])
        mappedTexts = r.counter("lakemark_mapped_texts_total", help: "Distinct texts mapped, per batch.")
        sinkWrites = r.counter("lakemark_sink_writes_total", help: "Batches made durable by the sink.")
        sinkObjects = r.counter("lakemark_sink_objects_total", help: "Objects made durable by the sink.")
        sinkBytes = r.counter(
            "lakemark_sink_uncompressed_bytes_total",
            help: "NDJSON bytes written to the sink, before gzip."
        )
        batchSeconds = r.histogram(
            "lakemark_batch_duration_seconds",
            help: "Time to answer an ingest request, from the decoded head to the response.",
            upperBounds: Self.latencyBounds
        )
        mappingSeconds = r.histogram(
            "lakemark_mapping_duration_seconds",
            help: "Time spent mapping the distinct texts of a batch (cache included).",
            upperBounds: Self.latencyBounds
        )
        let stageHelp = "Time per stage of a stored batch; unpack and extract are summed over a batch's threads."
        let stages: [(String, @Sendable (BatchReport.Timings) -> Double)] = [
            ("decode", { $0.decode }), ("unpack", { $0.unpack }), ("extract", { $0.extract }), ("map", { $0.map }),
            ("splice", { $0.splice }), ("compress", { $0.compress }), ("write", { $0.write }),
        ]
        stageSeconds = stages.map { name, stage in
            let histogram = r.histogram(
                "lakemark_batch_stage_duration_seconds",
                help: stageHelp,
                upperBounds: Self.latencyBounds,
                labels: ["stage": name]
            )
            return (stage, histogram)
        }
        registerMappingStatistics(mapper: mapper, remoteMapper: remoteMapper)
        if let s3 = sink as? S3Sink { registerS3Statistics(s3.client) }
    }

    /// The class of a path for the `path` label: `ingest`, `map`, `frameworks`, `health`, `metrics` or `other`.
    /// - Parameter path: The request path (without query).
    /// - Returns: The class.
    func pathClass(_ path: String?) -> String {
        switch path {
        case ingestPath: return "ingest"
        case "/v1/map": return "map"
        case "/v1/frameworks": return "frameworks"
        case "/healthz", "/readyz": return "health"
        case "/metrics": return "metrics"
        default: return "other"
        }
    }

    /// Counts an answered request.
    /// - Parameters:
    ///   - path: The request path, `nil` when the head could not be parsed.
    ///   - status: The response status.
    func countRequest(path: String?, status: Int) {
        registry.counter(
            "lakemark_http_requests_total",
            help: "HTTP requests answered, by path class and status.",
            labels: ["path": pathClass(path), "status": String(status)]
        ).increment()
    }

    /// Adds one ingest request's report and latency.
    /// - Parameters:
    ///   - outcome: What the batch processor answered.
    ///   - seconds: The time it took, in seconds.
    func record(_ outcome: BatchProcessor.Outcome, seconds: Double) {
        let report = outcome.report
        batchSeconds.observe(seconds)
        wireBytes.increment(by: report.wireBytes)
        decodedBytes.increment(by: report.recordBytes)
        records.increment(by: report.records)
        emptyRecords.increment(by: report.emptyRecords)
        controlMessages.increment(by: report.controlMessages)
        if report.distinctTexts > 0 {
            mappedTexts.increment(by: report.distinctTexts)
            mappingSeconds.observe(report.timings.map)
        }
        guard let code = outcome.errorCode else {
            for (stage, histogram) in stageSeconds { histogram.observe(stage(report.timings)) }
            events.increment(by: report.events)
            wrappedEvents.increment(by: report.wrappedEvents)
            eventsWithoutText.increment(by: report.eventsWithoutText)
            ocsfRecords.increment(by: report.ocsfRecords)
            ocsfUnmapped.increment(by: report.ocsfUnmapped)
            ocsfInvalid.increment(by: report.ocsfInvalid)
            sinkWrites.increment()
            sinkObjects.increment(by: report.objects)
            sinkBytes.increment(by: report.outputBytes)
            return
        }
        countBatchError(code)
        if code.hasPrefix("sink.") {
            registry.counter(
                "lakemark_sink_failures_total",
                help: "Sink writes that failed, by SinkError code.",
                labels: ["code": String(code.dropFirst("sink.".count))]
            ).increment()
        }
    }

    /// Counts an ingest request refused or failed.
    /// - Parameter code: The error code: a Firehose request code (`invalidJSON`, `unauthorized`, …), `sink.*`,
    ///   `mapping.*`, or `http.*` for what the HTTP server refused after the request head, before the batch was read.
    func countBatchError(_ code: String) {
        registry.counter(
            "lakemark_batch_errors_total",
            help: "Ingest requests refused or failed, by error code.",
            labels: ["code": code]
        ).increment()
    }

    /// Counts what the HTTP server refused before any request head was read.
    /// - Parameter code: The `http.*` code (`http.tooManyConnections`, `http.headerTimeout`, `http.invalidRequest`, …).
    func countConnectionRefusal(_ code: String) {
        registry.counter(
            "lakemark_http_refusals_total",
            help: "Connections the HTTP server refused or closed before a request head was read, by error code.",
            labels: ["code": code]
        ).increment()
    }

    /// The exposition text.
    /// - Returns: UTF-8 bytes in the Prometheus text format 0.0.4.
    func render() -> [UInt8] {
        Array(registry.render().utf8)
    }
}
