public import HTTPCore

/// A request for ``HTTPClient``: where to send it and what to send.
public struct HTTPClientRequest: Sendable {
    /// The server host: a name or an IPv4/IPv6 literal (without brackets).
    public var host: String
    /// The server port.
    public var port: Int
    /// The request method.
    public var method: HTTPMethod
    /// The request target in origin-form, for example `/v1/ingest?x=1`.
    public var target: String
    /// Header fields. `Host` is added when absent; `Content-Length` and `Transfer-Encoding` are set by the
    /// client.
    public var headers: HTTPHeaders
    /// The body, sent with `Content-Length`.
    public var body: [UInt8]

    /// Creates a request.
    /// - Parameters:
    ///   - method: The request method.
    ///   - host: The server host.
    ///   - port: The server port.
    ///   - target: The request target, for example `/path?query`.
    ///   - headers: Header fields; empty by default.
    ///   - body: The body; empty by default.
    public init(
        method: HTTPMethod,
        host: String,
        port: Int,
        target: String,
        headers: HTTPHeaders = HTTPHeaders(),
        body: [UInt8] = []
    ) {
        self.method = method
        self.host = host
        self.port = port
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// Creates a request for a URL; the `Host` header is set from the URL unless `headers` has one.
    /// - Parameters:
    ///   - method: The request method.
    ///   - url: The URL; its scheme only affects the default port and `Host` (the client's connector decides
    ///     whether TLS is used).
    ///   - headers: Header fields; empty by default.
    ///   - body: The body; empty by default.
    public init(method: HTTPMethod, url: HTTPURL, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        var headers = headers
        if !headers.contains("Host") {
            headers.add(name: "Host", value: url.hostHeaderValue)
        }
        self.init(method: method, host: url.host, port: url.port, target: url.target, headers: headers, body: body)
    }
}
