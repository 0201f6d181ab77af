/// Settings for ``TLSConnector``.
///
/// Certificate verification and host-name checking are always on; only the set of trusted CAs can change.
public struct TLSConfiguration: Sendable, Hashable {
    /// The Debian/Ubuntu system bundle of trusted CA certificates.
    public static let systemCABundle = "/etc/ssl/certs/ca-certificates.crt"

    /// A PEM file of trusted CA certificates. Default: ``systemCABundle``.
    public var caFilePath: String
    /// The HTTP `CONNECT` proxy used for hosts it applies to (see ``HTTPProxy/applies(toHost:port:)``); `nil`
    /// connects directly. Default: `nil`.
    public var proxy: HTTPProxy?

    /// Creates a configuration.
    /// - Parameters:
    ///   - caFilePath: The PEM file of trusted CAs. Default: ``systemCABundle``.
    ///   - proxy: The `CONNECT` proxy, or `nil` (the default) for direct connections.
    public init(caFilePath: String = TLSConfiguration.systemCABundle, proxy: HTTPProxy? = nil) {
        self.caFilePath = caFilePath
        self.proxy = proxy
    }

    /// Reads the conventional variables: `AWS_CA_BUNDLE` (a CA file replacing the system bundle), and
    /// `https_proxy`/`HTTPS_PROXY` with `no_proxy`/`NO_PROXY` (lower case wins when both are set).
    /// - Parameter environment: The environment variables.
    /// - Returns: The configuration; empty values count as unset.
    /// - Throws: ``TLSError`` with code `invalidConfiguration` when the proxy URL is malformed.
    public static func fromEnvironment(_ environment: [String: String]) throws(TLSError) -> TLSConfiguration {
        var configuration = TLSConfiguration()
        if let bundle = environment["AWS_CA_BUNDLE"], !bundle.isEmpty {
            configuration.caFilePath = bundle
        }
        configuration.proxy = try HTTPProxy.fromEnvironment(environment)
        return configuration
    }
}
