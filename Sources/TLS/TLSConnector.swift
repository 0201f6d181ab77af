import COpenSSLTLS
public import HTTPClient

/// Opens TLS connections for ``HTTPClient``: TCP (directly, or through an HTTP `CONNECT` proxy), then a TLS 1.2+
/// handshake with SNI, certificate-chain verification against the configured CAs and host-name (or IP address)
/// verification.
///
/// ```swift
/// let connector = try TLSConnector(configuration: .fromEnvironment(environment))
/// let client = HTTPClient(connector: connector)
/// ```
///
/// The connect timeout covers the TCP connection, the proxy tunnel and the handshake together.
public struct TLSConnector: HTTPTransportConnector {
    /// When the CA file is loaded.
    public enum Loading: Sendable {
        /// When the connector is created, which reports a bad CA file at once.
        case now
        /// When the first connection is opened, which costs nothing where none ever is.
        case onFirstConnection
    }

    /// The settings in force.
    public let configuration: TLSConfiguration
    private let contextSource: TLSContextSource
    private let tcp: TCPConnector

    /// Creates a connector; the CA file is loaded once.
    /// - Parameters:
    ///   - configuration: CA file and proxy; see ``TLSConfiguration`` for defaults.
    ///   - loading: When to load the CA file: `.now` (the default) or on the first connection, whose ``open(host:
    ///     port:timeout:applicationProtocols:)`` then reports a CA file that cannot be loaded.
    /// - Throws: ``TLSError`` with code `invalidConfiguration` when `loading` is `.now` and the CA file cannot be
    ///   loaded.
    public init(configuration: TLSConfiguration = TLSConfiguration(), loading: Loading = .now) throws(TLSError) {
        self.configuration = configuration
        self.contextSource = TLSContextSource(caFilePath: configuration.caFilePath)
        self.tcp = TCPConnector()
        if loading == .now { _ = try contextSource.context() }
    }

    /// Connects and completes the TLS handshake.
    /// - Parameters:
    ///   - host: The server's host name or IP literal (brackets allowed); the certificate must name it.
    ///   - port: The TCP port.
    ///   - timeout: The longest time for the TCP connection, any proxy tunnel and the handshake together.
    ///   - applicationProtocols: The ALPN protocols offered, most preferred first (for example `["h2",
    ///     "http/1.1"]`); see ``TLSConnection/negotiatedProtocol`` for the server's choice. Default: `http/1.1`.
    /// - Returns: The established connection.
    /// - Throws: ``TLSError``: `connectFailed`, `proxyFailed`, `timeout`, `handshakeFailed`,
    ///   `verificationFailed` or `connectionReset`; `invalidConfiguration` for an empty or over-long protocol
    ///   name, or a CA file loaded on this first connection that cannot be.
    public func open(
        host: String,
        port: Int,
        timeout: Duration,
        applicationProtocols: [String] = ["http/1.1"]
    ) throws(TLSError) -> TLSConnection {
        let deadline = ContinuousClock.now + timeout
        let context = try contextSource.context()
        let name = NoProxyRule.normalizedHost(host)
        let transport: any HTTPTransportConnection
        var leftover: [UInt8] = []
        if let proxy = self.configuration.proxy, proxy.applies(toHost: name, port: port) {
            (transport, leftover) = try ProxyTunnel.open(
                through: proxy,
                host: name,
                port: port,
                deadline: deadline,
                connector: self.tcp
            )
        } else {
            do {
                transport = try self.tcp.connect(host: name, port: port, timeout: timeout)
            } catch {
                throw TLSError.transport(error, during: "connecting to \(host):\(port)")
            }
        }
        let connection: TLSConnection
        do {
            connection = try TLSConnection(
                transport: transport,
                context: context,
                host: name,
                applicationProtocols: applicationProtocols
            )
        } catch {
            transport.close()
            throw error
        }
        try connection.handshake(initialInput: leftover, deadline: deadline)
        return connection
    }

    /// Connects and completes the TLS handshake (the ``HTTPTransportConnector`` entry point).
    /// - Parameters:
    ///   - host: The server's host name or IP literal.
    ///   - port: The TCP port.
    ///   - timeout: The longest time for connection, tunnel and handshake.
    /// - Returns: A ``TLSConnection``.
    /// - Throws: ``HTTPClientError``: `connectFailed` (detail: the ``TLSError`` description, for example
    ///   `tls.verificationFailed: unable to get local issuer certificate`), `timeout` or `connectionReset`.
    public func connect(
        host: String,
        port: Int,
        timeout: Duration
    ) throws(HTTPClientError) -> any HTTPTransportConnection {
        do {
            return try self.open(host: host, port: port, timeout: timeout)
        } catch {
            throw error.httpClientError
        }
    }
}
