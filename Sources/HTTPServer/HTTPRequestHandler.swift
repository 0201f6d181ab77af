public import HTTPCore

/// The application's side of the server: turns requests into responses.
///
/// Both methods are called concurrently from several threads and must be thread-safe.
public protocol HTTPRequestHandler: Sendable {
    /// Answers a complete request. Runs on a worker thread; blocking here occupies that worker.
    /// - Parameter request: The request, with its whole body.
    /// - Returns: The response. The server sets `Content-Length`, `Connection` and `Date` (when absent) and never
    ///   compresses the body.
    func handle(_ request: HTTPRequest) -> HTTPResponse

    /// Called when the server itself must answer (parse errors, body too large, timeouts during the body,
    /// overload). `head` is present when the request head was parsed.
    ///
    /// - Important: This may run on the reactor thread (parse errors, header timeouts, overload); keep it fast
    ///   and non-blocking. The connection is closed after the response.
    /// - Parameters:
    ///   - error: What went wrong; ``HTTPServerError/suggestedStatus`` is a sensible status.
    ///   - head: The request head, when it was parsed.
    /// - Returns: The response to send.
    func respondToServerError(_ error: HTTPServerError, head: HTTPRequestHead?) -> HTTPResponse
}

extension HTTPRequestHandler {
    /// Answers with ``HTTPServerError/suggestedStatus`` and a short plain-text body naming the error code.
    /// - Parameters:
    ///   - error: What went wrong.
    ///   - head: The request head, when it was parsed (unused).
    /// - Returns: A plain-text response.
    public func respondToServerError(_ error: HTTPServerError, head: HTTPRequestHead?) -> HTTPResponse {
        let code = error.parseError?.code.rawValue ?? error.code.rawValue
        return HTTPResponse(
            status: error.suggestedStatus,
            headers: ["Content-Type": "text/plain; charset=utf-8"],
            body: Array("\(error.suggestedStatus.description): \(code)\n".utf8)
        )
    }
}
