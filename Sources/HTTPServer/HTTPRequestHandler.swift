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

    /// Answers a request from its head alone, before any of its body is read, when the head already decides the
    /// answer (a missing or wrong credential, an unknown path, a method the path refuses).
    ///
    /// Called by a worker for requests that declare a body, before `100 Continue` and before the body is read;
    /// a response here is sent with `Connection: close`, the body is left unread and the connection lingers, then
    /// closes. `nil` lets the server read the body and call ``handle(_:)``. Runs on a worker thread.
    /// - Parameter head: The request head.
    /// - Returns: The response to send at once, or `nil` to read the body.
    func answerBeforeBody(_ head: HTTPRequestHead) -> HTTPResponse?
}

extension HTTPRequestHandler {
    /// Reads every body: returns `nil`.
    /// - Parameter head: The request head (unused).
    /// - Returns: `nil`.
    public func answerBeforeBody(_ head: HTTPRequestHead) -> HTTPResponse? {
        nil
    }

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
