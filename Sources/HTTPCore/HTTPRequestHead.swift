/// The request line and header fields of a request.
public struct HTTPRequestHead: Sendable, Hashable {
    /// The request method.
    public var method: HTTPMethod
    /// The request target exactly as sent (origin-form, absolute-form or `*`).
    public var target: String
    /// The path component: starts with `/` (or is `*` for `OPTIONS *`), still percent-encoded.
    ///
    /// For an absolute-form target such as `https://host/a?b` this is `/a`; an empty path becomes `/`.
    public var path: String
    /// The query after `?`, without the `?`, still percent-encoded; `nil` when the target has no `?`.
    public var query: String?
    /// The protocol version of the request.
    public var version: HTTPVersion
    /// The header fields in order.
    public var headers: HTTPHeaders

    /// Creates a request head.
    /// - Parameters:
    ///   - method: The request method.
    ///   - target: The request target as sent.
    ///   - path: The path component.
    ///   - query: The query component, or `nil`.
    ///   - version: The protocol version.
    ///   - headers: The header fields.
    public init(
        method: HTTPMethod,
        target: String,
        path: String,
        query: String?,
        version: HTTPVersion,
        headers: HTTPHeaders
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.query = query
        self.version = version
        self.headers = headers
    }

    /// Whether the client asks to keep the connection open after the response (RFC 9112 §9.3).
    ///
    /// HTTP/1.1 persists unless `Connection: close`; HTTP/1.0 persists only with `Connection: keep-alive`.
    public var isKeepAlive: Bool {
        if self.headers.containsToken("close", in: "Connection") {
            return false
        }
        if self.version == .http1_0 {
            return self.headers.containsToken("keep-alive", in: "Connection")
        }
        return true
    }

    /// Whether an HTTP/1.1 client waits for `100 Continue` before sending the body (RFC 9110 §10.1.1).
    public var expectsContinue: Bool {
        guard self.version == .http1_1, let expect = self.headers["Expect"] else {
            return false
        }
        return ASCII.caseInsensitiveEquals(expect, "100-continue")
    }
}
