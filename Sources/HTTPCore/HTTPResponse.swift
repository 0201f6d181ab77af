/// A complete response: status, header fields and body.
public struct HTTPResponse: Sendable, Hashable {
    /// The status.
    public var status: HTTPStatus
    /// The header fields. When serialized by ``ResponseSerializer``, `Content-Length`, `Transfer-Encoding` and
    /// `Connection` are managed by the serializer and any given values are replaced.
    public var headers: HTTPHeaders
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a response.
    /// - Parameters:
    ///   - status: The status.
    ///   - headers: The header fields; empty by default.
    ///   - body: The body bytes; empty by default.
    public init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
