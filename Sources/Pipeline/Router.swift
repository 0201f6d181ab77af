import Foundation
import Firehose
import HTTPCore
import HTTPServer
import JSONBytes
import Mapping
import ServiceSupport
import Sink
import Synchronization

/// Routes requests: Firehose batches on the ingest path, the map API, health checks.
final class Router: HTTPRequestHandler {
    /// The service configuration (ingest path).
    let configuration: Configuration
    /// Handles Firehose batches.
    let processor: BatchProcessor
    /// Answers `/v1/map`.
    let mapper: any ComplianceMapper
    /// Checked by `/readyz`.
    let sink: any ObjectSink
    /// Where request lines go.
    let logger: Logger
    /// Checks the access key of map API requests (the same keys as Firehose's).
    let accessKeys: AccessKeyStore
    /// Keeps floods of malformed or refused requests from flooding the log (10 lines a second).
    let serverErrorLog = LogRateLimiter(linesPerSecond: 10)
    /// Map API requests being answered now.
    let mapRequestsInFlight = Atomic<Int>(0)
    /// Most map API requests answered at once, so mapping cannot starve ingest of workers.
    let maxMapRequestsInFlight: Int
    /// Counts each batch's report and latency; `nil` counts nothing.
    let metrics: ServiceMetrics?

    /// Creates a router over the service's parts.
    init(
        configuration: Configuration,
        processor: BatchProcessor,
        mapper: any ComplianceMapper,
        sink: any ObjectSink,
        logger: Logger,
        metrics: ServiceMetrics? = nil
    ) {
        self.configuration = configuration
        self.processor = processor
        self.mapper = mapper
        self.sink = sink
        self.logger = logger
        self.metrics = metrics
        self.accessKeys = processor.accessKeys
        let workers =
            configuration.workers > 0 ? configuration.workers : max(2, 2 * ProcessInfo.processInfo.activeProcessorCount)
        self.maxMapRequestsInFlight = max(1, workers / 4)
    }

    /// Routes one request.
    func handle(_ request: HTTPRequest) -> HTTPResponse {
        switch request.path {
        case "/healthz":
            return onlyGet(request) ?? Self.json(200, #"{"status":"ok"}"#)
        case "/readyz":
            return onlyGet(request) ?? readiness()
        case "/v1/frameworks" where configuration.mapAPI:
            guard request.method == .get else { return Self.methodNotAllowed("GET") }
            return authorizeMapAPI(request.headers) ?? HTTPResponse(status: 200, json: MapAPI.frameworksResponse())
        case "/v1/map" where configuration.mapAPI:
            guard request.method == .post else { return Self.methodNotAllowed("POST") }
            return authorizeMapAPI(request.headers) ?? map(request)
        case configuration.ingestPath:
            return ingest(request)
        default:
            return Self.json(404, #"{"error":{"code":"not_found","message":"no such path"}}"#)
        }
    }

    /// Answers from the head alone every request whose answer does not depend on its body, so the server sends it
    /// before reading any body: a missing or wrong access key on the ingest path (the Firehose 401 echoing
    /// `X-Amz-Firehose-Request-Id`, logged and counted as before) or the map API, an unknown path, a refused
    /// method, the health checks. `nil` for the requests whose body is used: a POST of the ingest path or of
    /// `/v1/map` with an accepted key.
    func answerBeforeBody(_ head: HTTPRequestHead) -> HTTPResponse? {
        readsBody(head) ? nil : handle(HTTPRequest(head: head, body: [], remoteAddress: ""))
    }

    /// Whether ``handle(_:)`` uses the request's body: a POST to the ingest path or to `/v1/map` whose key is
    /// accepted. Every other answer comes from the head alone.
    func readsBody(_ head: HTTPRequestHead) -> Bool {
        guard head.method == .post else { return false }
        switch head.path {
        case "/v1/map" where configuration.mapAPI:
            return authorizeMapAPI(head.headers) == nil
        case configuration.ingestPath:
            return accessKeys.current.accepts(Self.firehoseHead(head.headers))
        default:
            return false
        }
    }

    /// Answers what the server itself rejects, in the Firehose response shape (never 413).
    func respondToServerError(_ error: HTTPServerError, head: HTTPRequestHead?) -> HTTPResponse {
        let status = error.suggestedStatus.code == 413 ? 400 : error.suggestedStatus.code
        let requestID = head?.headers[FirehoseRequestHead.HeaderName.requestID] ?? ""
        let message = serverErrorMessage(error)
        if let suppressed = serverErrorLog.admit(nowMillis: UTCTime.nowMillis()) {
            logger.warning(
                "request rejected by the server",
                [
                    "error_code": .string("http.\(error.code)"), "status": .int(status), "reason": .string(message),
                    "request_id": .string(requestID), "similar_lines_suppressed": .int(suppressed),
                ]
            )
        }
        let body = FirehoseResponse.body(
            requestID: requestID, timestampMillis: UTCTime.nowMillis(), errorMessage: message)
        return HTTPResponse(status: status, json: body, closesConnection: true)
    }

    /// What the client is told about a request the server refused: what happened, the limit and its option.
    private func serverErrorMessage(_ error: HTTPServerError) -> String {
        let code = "http.\(error.code)"
        switch error.code {
        case .bodyTooLarge:
            return "\(code): the request body is larger than max_body_bytes (\(configuration.maxBodyBytes) bytes); "
                + "lower the delivery stream's buffer size"
        case .headerTimeout:
            return "\(code): the request head did not arrive within header_timeout_seconds "
                + "(\(configuration.headerTimeoutSeconds) s)"
        case .bodyTimeout:
            return "\(code): the request body did not arrive within body_timeout_seconds "
                + "(\(configuration.bodyTimeoutSeconds) s), or after its first 5 s arrived slower than 1,024 bytes/s"
        case .queueFull, .tooManyConnections:
            return "\(code): the service is at capacity; retry later"
        case .queueTimeout:
            return "\(code): no worker was free within queue_timeout_seconds "
                + "(\(configuration.queueTimeoutSeconds) s); retry later"
        case .invalidRequest where error.parseError?.status == .requestHeaderFieldsTooLarge:
            return "\(code): the request head or chunked trailer is larger than the server accepts "
                + "(\(error.parseError.map { "\($0.code)" } ?? "too large"))"
        case .invalidRequest:
            let reason = error.parseError.map { " (\($0.code))" } ?? ""
            return "\(code): malformed HTTP request\(reason)"
        default:
            return code + (error.detail.map { ": \($0)" } ?? "")
        }
    }

    private func ingest(_ request: HTTPRequest) -> HTTPResponse {
        guard request.method == .post else {
            let body = FirehoseResponse.body(
                requestID: request.headers[FirehoseRequestHead.HeaderName.requestID] ?? "",
                timestampMillis: UTCTime.nowMillis(),
                errorMessage: "method \(request.method) not allowed; Firehose delivers with POST"
            )
            var response = HTTPResponse(status: 405, json: body)
            response.headers.add(name: "Allow", value: "POST")
            return response
        }
        let clock = StageClock()
        let head = Self.firehoseHead(request.headers)
        let outcome = processor.process(head: head, body: request.body)
        let seconds = clock.elapsed()
        RequestLog.write(outcome, head: head, seconds: seconds, logger: logger)
        if configuration.embeddedMetrics { EmbeddedMetricLine.write(outcome, head: head, seconds: seconds) }
        metrics?.record(outcome, seconds: seconds)
        return HTTPResponse(status: outcome.status, json: outcome.body)
    }

    /// The Firehose headers of a request, the access key's repetition included.
    private static func firehoseHead(_ headers: HTTPHeaders) -> FirehoseRequestHead {
        FirehoseRequestHead(
            header: { headers[$0] },
            accessKeyRepeated: headers.values(for: FirehoseRequestHead.HeaderName.accessKey).count > 1
        )
    }

    /// `nil` when the request may use the map API; else 401 (keys configured, none matching in
    /// `authorization` — the bare key, as the mapping API's contract has it, or `Bearer <key>` — or
    /// `X-Amz-Firehose-Access-Key`).
    private func authorizeMapAPI(_ headers: HTTPHeaders) -> HTTPResponse? {
        let keys = accessKeys.current
        guard keys.isEnabled else { return nil }
        var presented = headers["authorization"] ?? headers[FirehoseRequestHead.HeaderName.accessKey]
        if let value = presented, value.utf8.count > 7, value.prefix(7).lowercased() == "bearer " {
            presented = String(value.dropFirst(7))
        }
        if keys.verify(presented) { return nil }
        return Self.json(401, #"{"error":{"code":"unauthorized","message":"missing or wrong access key"}}"#)
    }

    /// Answers a map request, at most ``maxMapRequestsInFlight`` at a time (503 beyond).
    private func map(_ request: HTTPRequest) -> HTTPResponse {
        if let encoding = request.headers["content-encoding"], encoding.lowercased() != "identity" {
            return Self.json(415, #"{"error":{"code":"unsupported_encoding","message":"send the body uncompressed"}}"#)
        }
        let running = mapRequestsInFlight.add(1, ordering: .relaxed).newValue
        defer { mapRequestsInFlight.subtract(1, ordering: .relaxed) }
        guard running <= maxMapRequestsInFlight else {
            var response = Self.json(503, #"{"error":{"code":"busy","message":"too many map requests at once"}}"#)
            response.headers.add(name: "Retry-After", value: "1")
            return response
        }
        let (status, body) = MapAPI.handleMapRequest(request.body, mapper: mapper)
        return HTTPResponse(status: status, json: body)
    }

    private func readiness() -> HTTPResponse {
        do {
            try sink.checkWritable()
            return Self.json(200, #"{"status":"ready"}"#)
        } catch {
            var writer = JSONWriter()
            writer.appendRaw(#"{"status":"not ready","reasons":["#)
            writer.appendString("sink: \(error.message)")
            writer.appendRaw("]}")
            return HTTPResponse(status: 503, json: writer.bytes)
        }
    }

    private func onlyGet(_ request: HTTPRequest) -> HTTPResponse? {
        request.method == .get || request.method == .head ? nil : Self.methodNotAllowed("GET, HEAD")
    }

    /// A 405 JSON response with `Allow`.
    static func methodNotAllowed(_ allow: String) -> HTTPResponse {
        var response = json(405, #"{"error":{"code":"method_not_allowed","message":"method not allowed"}}"#)
        response.headers.add(name: "Allow", value: allow)
        return response
    }

    /// A JSON response from text.
    static func json(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, json: Array(text.utf8))
    }
}
