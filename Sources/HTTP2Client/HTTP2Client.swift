import Dispatch
public import HTTPClient
public import HTTPCore
import Synchronization

/// A blocking HTTP/2 client: requests from many threads share one connection per `host:port` as concurrent
/// streams.
///
/// ```swift
/// let client = HTTP2Client(scheme: "https") { host, port, timeout throws(HTTP2ClientError) in
///     try openNegotiatedH2Connection(host, port, timeout)  // for example TLS with ALPN `h2`
/// }
/// let response = try client.send(HTTPClientRequest(method: .get, host: "api.example", port: 443, target: "/"))
/// ```
///
/// `send` blocks the calling thread until the whole response has arrived; call it from worker threads. Only one
/// connection per endpoint is opened at a time: threads that need it while it is being opened wait for it. A
/// connection that received `GOAWAY`, broke or sat idle is replaced by a new one on the next request.
///
/// A request is sent again, once, on a fresh connection only when the server certainly did not process it
/// (``HTTP2ClientError/isRetrySafe``: `REFUSED_STREAM`, a stream above the `GOAWAY` limit, a connection that was
/// going away). Other failures are thrown; errors never contain header values.
public final class HTTP2Client: Sendable {
    /// Opens a transport on which the server speaks HTTP/2 (for TLS: ALPN chose `h2`); throws
    /// ``HTTP2ClientError`` with `notNegotiated` when it does not, `connectFailed` or `timeout` otherwise.
    public typealias Opener =
        @Sendable (_ host: String, _ port: Int, _ timeout: Duration) throws(HTTP2ClientError) ->
        any HTTPTransportConnection

    /// The connection of one endpoint: being opened (others wait for the attempt), or open.
    private enum Slot {
        case opening(HTTP2ConnectAttempt)
        case open(HTTP2Connection)
    }

    /// The configuration.
    public let configuration: Configuration
    /// The `:scheme` of every request.
    public let scheme: String
    private let opener: Opener
    private let slots = Mutex<[String: Slot]>([:])
    private let opened = Atomic<Int>(0)

    /// Creates a client; nothing is opened before the first request.
    /// - Parameters:
    ///   - configuration: Timeouts and limits; see ``Configuration`` for defaults.
    ///   - scheme: The `:scheme` pseudo-header: `https` (the default) or `http`.
    ///   - opener: Opens transports on which the server speaks HTTP/2.
    public init(configuration: Configuration = Configuration(), scheme: String = "https", opener: @escaping Opener) {
        self.configuration = configuration
        self.scheme = scheme
        self.opener = opener
    }

    deinit {
        self.close()
    }

    /// Connections opened so far (successfully started HTTP/2).
    public var connectionsOpened: Int { self.opened.load(ordering: .relaxed) }

    /// Sends a request on a stream of the endpoint's connection and waits for the complete response.
    /// - Parameter request: The request; `Host` (or `host:port`) becomes `:authority`, and connection-specific
    ///   fields are left out.
    /// - Returns: The final (non-1xx) response; trailers are not kept.
    /// - Throws: ``HTTP2ClientError``.
    public func send(_ request: HTTPClientRequest) throws(HTTP2ClientError) -> HTTPResponse {
        let fields = try HTTP2Request(request, scheme: self.scheme)
        let endpoint = "\(request.host):\(request.port)"
        var attempt = 0
        while true {
            attempt += 1
            let connection = try self.connection(to: request.host, port: request.port, endpoint: endpoint)
            do {
                return try connection.send(fields: fields, body: request.body)
            } catch where error.isRetrySafe && attempt < 3 {
                self.forget(connection, endpoint: endpoint)
            }
        }
    }

    /// Closes every connection; open streams fail with ``HTTP2ClientError/Code/connectionLost``.
    public func close() {
        let all = self.slots.withLock { slots in
            defer { slots = [:] }
            return slots.values.compactMap { slot -> HTTP2Connection? in
                if case .open(let connection) = slot { return connection }
                return nil
            }
        }
        for connection in all { connection.close() }
    }

    /// The endpoint's open connection, or a new one (opened by this thread, or by another that got there
    /// first).
    private func connection(to host: String, port: Int, endpoint: String) throws(HTTP2ClientError) -> HTTP2Connection {
        enum Step {
            case use(HTTP2Connection)
            case wait(HTTP2ConnectAttempt)
            case open(HTTP2ConnectAttempt)
        }
        let step = self.slots.withLock { slots -> Step in
            switch slots[endpoint] {
            case .open(let connection) where connection.isAccepting:
                return .use(connection)
            case .opening(let attempt):
                return .wait(attempt)
            default:
                let attempt = HTTP2ConnectAttempt()
                slots[endpoint] = .opening(attempt)
                return .open(attempt)
            }
        }
        switch step {
        case .use(let connection):
            return connection
        case .wait(let attempt):
            return try attempt.wait(timeout: self.configuration.connectTimeout + .seconds(1)).get()
        case .open(let attempt):
            let result = self.open(host: host, port: port)
            self.slots.withLock { slots in
                if case .success(let connection) = result {
                    slots[endpoint] = .open(connection)
                } else {
                    slots[endpoint] = nil
                }
            }
            attempt.finish(result)
            return try result.get()
        }
    }

    /// Opens a transport and starts HTTP/2 on it, within the connect timeout.
    private func open(host: String, port: Int) -> Result<HTTP2Connection, HTTP2ClientError> {
        let start = ContinuousClock.now
        let timeout = self.configuration.connectTimeout
        do throws(HTTP2ClientError) {
            let transport = try self.opener(host, port, timeout)
            let connection = try HTTP2Connection(transport: transport, configuration: self.configuration)
            try connection.waitUntilReady(timeout: timeout - (ContinuousClock.now - start))
            self.opened.add(1, ordering: .relaxed)
            return .success(connection)
        } catch {
            return .failure(error)
        }
    }

    /// Drops a connection that refused a stream, unless another one has replaced it already.
    private func forget(_ connection: HTTP2Connection, endpoint: String) {
        self.slots.withLock { slots in
            if case .open(let current) = slots[endpoint], current === connection, !connection.isAccepting {
                slots[endpoint] = nil
            }
        }
    }
}
