public import HTTPCore

/// A blocking HTTP/1.1 client with keep-alive connection reuse and timeouts.
///
/// `send` blocks the calling thread until the whole response has arrived; call it from a worker thread, not from
/// a Swift concurrency task. Connections are reused per `host:port` (bounded by
/// ``Configuration/maxIdleConnectionsPerEndpoint``). Responses framed by `Content-Length`, chunked coding or
/// connection close are supported; interim 1xx responses are skipped.
///
/// A request on a reused connection is retried once, on a fresh connection, only when nothing of it can have
/// been processed: the write failed, or the connection ended before any response byte arrived (the server had
/// closed the idle connection). Other failures are never retried.
///
/// Transport is pluggable through ``HTTPTransportConnector``; the default is plain TCP. With a TLS connector,
/// every request of the client uses TLS.
public final class HTTPClient: Sendable {
    private struct ExchangeFailure: Error {
        let error: HTTPClientError
        let isRetryable: Bool
    }

    /// The configuration.
    public let configuration: Configuration
    private let connector: any HTTPTransportConnector
    private let pool: ConnectionPool

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: Timeouts, limits and pool size; see ``Configuration`` for defaults.
    ///   - connector: Opens connections; plain TCP by default.
    public init(
        configuration: Configuration = Configuration(),
        connector: any HTTPTransportConnector = TCPConnector()
    ) {
        self.configuration = configuration
        self.connector = connector
        self.pool = ConnectionPool(
            maxPerEndpoint: configuration.maxIdleConnectionsPerEndpoint,
            idleTimeout: configuration.idleConnectionTimeout
        )
    }

    deinit {
        self.pool.closeAll()
    }

    /// Sends a request and waits for the complete response.
    /// - Parameter request: The request; `Host` is added when absent and `Content-Length` is always set by the
    ///   client when there is a body.
    /// - Returns: The final (non-1xx) response, with its body decoded from chunked framing if needed.
    /// - Throws: ``HTTPClientError``.
    public func send(_ request: HTTPClientRequest) throws -> HTTPResponse {
        let head: [UInt8]
        do {
            head = try RequestSerializer.serializeHead(
                method: request.method,
                target: request.target,
                headers: request.headers,
                host: HTTPURL.hostHeaderValue(host: request.host, port: request.port, defaultPort: 80),
                bodyLength: request.body.count
            )
        } catch {
            throw HTTPClientError(.invalidRequest, parseError: error)
        }
        let endpoint = "\(request.host):\(request.port)"
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
        defer { scratch.deallocate() }
        if let reused = self.pool.take(endpoint) {
            switch self.exchange(
                on: reused,
                head: head,
                request: request,
                endpoint: endpoint,
                reused: true,
                scratch: scratch
            ) {
            case .success(let response):
                return response
            case .failure(let failure) where failure.isRetryable:
                break
            case .failure(let failure):
                throw failure.error
            }
        }
        let connection = try self.connector.connect(
            host: request.host,
            port: request.port,
            timeout: self.configuration.connectTimeout
        )
        switch self.exchange(
            on: connection,
            head: head,
            request: request,
            endpoint: endpoint,
            reused: false,
            scratch: scratch
        ) {
        case .success(let response):
            return response
        case .failure(let failure):
            throw failure.error
        }
    }

    /// Closes every idle pooled connection.
    public func closeIdleConnections() {
        self.pool.closeAll()
    }

    /// Writes the request and reads the response; pools or closes the connection afterwards.
    private func exchange(
        on connection: any HTTPTransportConnection,
        head: [UInt8],
        request: HTTPClientRequest,
        endpoint: String,
        reused: Bool,
        scratch: UnsafeMutableRawBufferPointer
    ) -> Result<HTTPResponse, ExchangeFailure> {
        var reader = ResponseReader(connection: connection, configuration: self.configuration, scratch: scratch)
        let written = head.withUnsafeBytes { headBytes in
            request.body.withUnsafeBytes { bodyBytes in
                Result { () throws(HTTPClientError) in
                    try connection.write(headBytes, bodyBytes, timeout: self.configuration.writeTimeout)
                }
            }
        }
        if case .failure(let writeError) = written {
            // The server may have answered early (for example refusing a large body) and closed; a response that
            // cannot be read is ignored in favour of the write error.
            let early = Result { () throws(HTTPClientError) in try reader.read(method: request.method) }
            connection.close()
            if case .success(let answer) = early {
                return .success(answer.response)
            }
            return .failure(ExchangeFailure(error: writeError, isRetryable: reused && !reader.hasReceivedBytes))
        }
        do {
            let (response, isReusable) = try reader.read(method: request.method)
            if isReusable, self.configuration.maxIdleConnectionsPerEndpoint > 0 {
                self.pool.put(connection, endpoint: endpoint)
            } else {
                connection.close()
            }
            return .success(response)
        } catch {
            connection.close()
            let isStale = reused && !reader.hasReceivedBytes && error.code == .connectionReset
            return .failure(ExchangeFailure(error: error, isRetryable: isStale))
        }
    }
}
