/// A complete request as delivered to a server handler.
public struct HTTPRequest: Sendable {
    /// The request line and header fields.
    public var head: HTTPRequestHead
    /// The body with any chunked framing removed; content codings such as gzip are left as received.
    public var body: [UInt8]
    /// The peer address, for example `127.0.0.1:50412` or `[::1]:50412`.
    public var remoteAddress: String

    /// Creates a request.
    /// - Parameters:
    ///   - head: The request head.
    ///   - body: The decoded body bytes.
    ///   - remoteAddress: The peer address.
    public init(head: HTTPRequestHead, body: [UInt8], remoteAddress: String) {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
    }

    /// The request method.
    public var method: HTTPMethod { self.head.method }
    /// The path component of the target.
    public var path: String { self.head.path }
    /// The query component of the target, or `nil`.
    public var query: String? { self.head.query }
    /// The header fields.
    public var headers: HTTPHeaders { self.head.headers }
}
