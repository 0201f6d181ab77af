/// The status line and header fields of a response, as parsed by a client.
public struct HTTPResponseHead: Sendable, Hashable {
    /// The protocol version of the response.
    public var version: HTTPVersion
    /// The status code and reason phrase as received.
    public var status: HTTPStatus
    /// The header fields in order.
    public var headers: HTTPHeaders

    /// Creates a response head.
    /// - Parameters:
    ///   - version: The protocol version.
    ///   - status: The status.
    ///   - headers: The header fields.
    public init(version: HTTPVersion, status: HTTPStatus, headers: HTTPHeaders) {
        self.version = version
        self.status = status
        self.headers = headers
    }

    /// Whether the server allows the connection to be reused after this response (RFC 9112 §9.3).
    public var isKeepAlive: Bool {
        if self.headers.containsToken("close", in: "Connection") {
            return false
        }
        if self.version == .http1_0 {
            return self.headers.containsToken("keep-alive", in: "Connection")
        }
        return true
    }
}
