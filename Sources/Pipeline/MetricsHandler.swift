import HTTPCore
import HTTPServer
import Metrics

/// Wraps the router: counts every answered request by path class and status, tracks requests in flight, and
/// answers `GET /metrics` itself (no access key: the text holds counts only; keep the port private).
struct MetricsHandler: HTTPRequestHandler {
    /// Answers everything else.
    let router: Router
    /// Where requests are counted.
    let metrics: ServiceMetrics

    /// Counts and answers one request.
    /// - Parameter request: The request.
    /// - Returns: The router's response, or the exposition text on `GET /metrics`.
    func handle(_ request: HTTPRequest) -> HTTPResponse {
        metrics.inFlight.increment()
        defer { metrics.inFlight.decrement() }
        let response = request.path == "/metrics" ? scrape(request) : router.handle(request)
        metrics.countRequest(path: request.path, status: response.status.code)
        return response
    }

    /// Counts and forwards what the server itself answers.
    /// - Parameters:
    ///   - error: What went wrong.
    ///   - head: The request head, when parsed.
    /// - Returns: The router's response.
    func respondToServerError(_ error: HTTPServerError, head: HTTPRequestHead?) -> HTTPResponse {
        let response = router.respondToServerError(error, head: head)
        metrics.countRequest(path: head?.path, status: response.status.code)
        if head == nil {
            // No request yet (a connection over the limit, a head that never came or could not be parsed): counted
            // apart, so a port scan does not look like failing batches.
            metrics.countConnectionRefusal("http.\(error.code)")
        } else if metrics.pathClass(head?.path) == "ingest" {
            metrics.countBatchError("http.\(error.code)")
        }
        return response
    }

    /// Answers and counts, before any body is read, every request whose answer does not use its body (see
    /// ``Router/answerBeforeBody(_:)``; `/metrics` never reads one).
    /// - Parameter head: The request head.
    /// - Returns: The response to send before the body, or `nil` to read it.
    func answerBeforeBody(_ head: HTTPRequestHead) -> HTTPResponse? {
        guard head.path == "/metrics" || !router.readsBody(head) else { return nil }
        return handle(HTTPRequest(head: head, body: [], remoteAddress: ""))
    }

    private func scrape(_ request: HTTPRequest) -> HTTPResponse {
        guard request.method == .get else { return Router.methodNotAllowed("GET") }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: MetricsRegistry.contentType)
        return HTTPResponse(status: HTTPStatus(code: 200), headers: headers, body: metrics.render())
    }
}
