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
    /// The settings in force.
    public let configuration: TLSConfiguration
    private let context: TLSContext
    private let tcp: TCPConnector

    /// Creates a connector, loading the CA file once.
    /// - Parameter configuration: CA file and proxy; see ``TLSConfiguration`` for defaults.
    /// - Throws: ``TLSError`` with code `invalidConfiguration` when the CA file cannot be loaded.
    public init(configuration: TLSConfiguration = TLSConfiguration()) throws(TLSError) {
        self.configuration = configuration
        self.context = try TLSContext(caFilePath: configuration.caFilePath)
        self.tcp = TCPConnector()
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
    ///   name.
    public func open(
        host: String,
        port: Int,
        timeout: Duration,
        applicationProtocols: [String] = ["http/1.1"]
    ) throws(TLSError) -> TLSConnection {
        let deadline = ContinuousClock.now + timeout
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
                context: self.context,
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
