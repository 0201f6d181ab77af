public import HTTPCore

/// What happened to one request, reported with ``HTTPServerEvent/requestFinished(_:)``.
public struct HTTPServerRequestSummary: Sendable {
    /// The connection that carried the request.
    public let connectionID: UInt64
    /// The request method.
    public let method: HTTPMethod
    /// The request path (without the query).
    public let path: String
    /// The response status.
    public let status: HTTPStatus
    /// The decoded request body size, in bytes (0 when the body was refused).
    public let requestBodyBytes: Int
    /// The response body size, in bytes, as declared in `Content-Length`.
    public let responseBodyBytes: Int
    /// The time from the complete request head to the end of the response write.
    public let duration: Duration
    /// Whether the whole response was written.
    public let responseWritten: Bool
    /// Whether the server closed the connection after the response.
    public let closedConnection: Bool

    /// Creates a summary.
    /// - Parameters:
    ///   - connectionID: The connection.
    ///   - method: The request method.
    ///   - path: The request path.
    ///   - status: The response status.
    ///   - requestBodyBytes: The request body size, in bytes.
    ///   - responseBodyBytes: The response body size, in bytes.
    ///   - duration: The time from head to end of response.
    ///   - responseWritten: Whether the response was fully written.
    ///   - closedConnection: Whether the connection was closed afterwards.
    public init(
        connectionID: UInt64,
        method: HTTPMethod,
        path: String,
        status: HTTPStatus,
        requestBodyBytes: Int,
        responseBodyBytes: Int,
        duration: Duration,
        responseWritten: Bool,
        closedConnection: Bool
    ) {
        self.connectionID = connectionID
        self.method = method
        self.path = path
        self.status = status
        self.requestBodyBytes = requestBodyBytes
        self.responseBodyBytes = responseBodyBytes
        self.duration = duration
        self.responseWritten = responseWritten
        self.closedConnection = closedConnection
    }
}
