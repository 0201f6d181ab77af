public import HTTPClient

/// The transports the credential providers and the Secrets Manager client open connections with.
///
/// Metadata endpoints (container, IMDS, loopback test servers) use plain HTTP; AWS service endpoints (STS,
/// Secrets Manager) use HTTPS and need ``tls``. Each provider builds its own ``HTTPClient`` for its endpoint from
/// the connector that matches the endpoint's scheme.
public struct AWSHTTPConnectors: Sendable {
    /// Opens `http` connections. Default: ``TCPConnector``.
    public var plain: any HTTPTransportConnector
    /// Opens `https` connections; `nil` (the default) makes every `https` endpoint fail with
    /// ``CredentialError/Code/tlsUnavailable``.
    public var tls: (any HTTPTransportConnector)?

    /// Creates a set of connectors.
    ///
    /// - Parameters:
    ///   - plain: The connector for `http` URLs (default plain TCP).
    ///   - tls: The connector for `https` URLs (default none).
    public init(plain: any HTTPTransportConnector = TCPConnector(), tls: (any HTTPTransportConnector)? = nil) {
        self.plain = plain
        self.tls = tls
    }

    /// Builds a client for one endpoint, with the connector for its scheme and the timeouts of `policy`.
    ///
    /// Idle connections are not kept: credential and secret calls are minutes apart, longer than any server keeps
    /// a connection open.
    ///
    /// - Parameters:
    ///   - url: The endpoint.
    ///   - policy: Supplies the connect, read and write timeout.
    ///   - source: Names the caller in errors.
    /// - Returns: A client that uses TLS exactly when `url` is `https`.
    /// - Throws: ``CredentialError/Code/tlsUnavailable`` for an `https` URL without ``tls``.
    func makeClient(for url: HTTPURL, policy: FetchPolicy, source: String) throws(CredentialError) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectTimeout = policy.timeout
        configuration.readTimeout = policy.timeout
        configuration.writeTimeout = policy.timeout
        configuration.maxIdleConnectionsPerEndpoint = 0
        configuration.maxResponseBodyBytes = 1 << 20
        if url.isTLS {
            guard let tls else {
                throw CredentialError(
                    code: .tlsUnavailable,
                    source: source,
                    message: "\(url.host) needs https but no TLS connector was configured"
                )
            }
            return HTTPClient(configuration: configuration, connector: tls)
        }
        return HTTPClient(configuration: configuration, connector: plain)
    }
}
