import Foundation

/// An HTTP proxy that TLS connections are tunnelled through with `CONNECT host:port`, and the hosts that
/// bypass it (`NO_PROXY`).
///
/// Only `http://` proxies are supported (the tunnel itself is plain TCP to the proxy; TLS runs end to end
/// inside it). User information in the URL is sent as `Proxy-Authorization: Basic …` and never shown in
/// ``description``.
public struct HTTPProxy: Sendable, Hashable, CustomStringConvertible {
    /// The proxy host (a name or an IP literal without brackets).
    public let host: String
    /// The proxy port. Default when the URL has none: 80.
    public let port: Int
    /// The `Proxy-Authorization` value, when the URL carried `user:password@`.
    let authorization: String?
    /// The parsed `NO_PROXY` list.
    public let bypass: [NoProxyRule]

    /// Parses a proxy URL and a `NO_PROXY` list.
    /// - Parameters:
    ///   - url: `http://[user:password@]host[:port][/]`; a URL without a scheme is taken as `http://`.
    ///   - noProxy: Comma-separated hosts, domain suffixes, IP addresses or CIDR blocks (with an optional
    ///     `:port`), or `*`; empty by default.
    /// - Throws: ``TLSError`` with code `invalidConfiguration` for another scheme or a malformed URL.
    public init(url: String, noProxy: String = "") throws(TLSError) {
        var rest = Substring(url.trimmingCharacters(in: .whitespaces))
        if let range = rest.range(of: "://") {
            let scheme = rest[..<range.lowerBound].lowercased()
            guard scheme == "http" else {
                throw TLSError(.invalidConfiguration, "only http:// proxies are supported, not \(scheme)://")
            }
            rest = rest[range.upperBound...]
        }
        if let slash = rest.firstIndex(of: "/") {
            guard rest[slash...].allSatisfy({ $0 == "/" }) else {
                throw TLSError(.invalidConfiguration, "a proxy URL has no path")
            }
            rest = rest[..<slash]
        }
        var authorization: String?
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at].removingPercentEncoding ?? String(rest[..<at])
            authorization = "Basic " + Data(credentials.utf8).base64EncodedString()
            rest = rest[rest.index(after: at)...]
        }
        guard let (host, port) = HostPort.parse(rest, defaultPort: 80) else {
            throw TLSError(.invalidConfiguration, "malformed proxy host or port")
        }
        self.host = host
        self.port = port
        self.authorization = authorization
        self.bypass = NoProxyRule.parseList(noProxy)
    }

    /// Reads `https_proxy` or `HTTPS_PROXY`, and `no_proxy` or `NO_PROXY` (lower case wins when both are set).
    /// - Parameter environment: The environment variables.
    /// - Returns: The proxy, or `nil` when no HTTPS proxy is set (or it is empty).
    /// - Throws: ``TLSError`` with code `invalidConfiguration` when the proxy URL is malformed.
    public static func fromEnvironment(_ environment: [String: String]) throws(TLSError) -> HTTPProxy? {
        func value(_ name: String) -> String? {
            for candidate in [name.lowercased(), name.uppercased()] {
                if let text = environment[candidate], !text.isEmpty {
                    return text
                }
            }
            return nil
        }
        guard let url = value("https_proxy") else {
            return nil
        }
        return try HTTPProxy(url: url, noProxy: value("no_proxy") ?? "")
    }

    /// Whether a connection to `host:port` goes through this proxy (it does unless a `NO_PROXY` rule matches).
    /// - Parameters:
    ///   - host: The destination host (a name or an IP literal, brackets allowed).
    ///   - port: The destination port.
    /// - Returns: `false` when a bypass rule matches.
    public func applies(toHost host: String, port: Int) -> Bool {
        let name = NoProxyRule.normalizedHost(host)
        return !self.bypass.contains { $0.matches(host: name, port: port) }
    }

    /// `http://host:port` (credentials are never shown), with the bypass count.
    public var description: String {
        let shownHost = self.host.contains(":") ? "[\(self.host)]" : self.host
        return "http://\(shownHost):\(self.port) (\(self.bypass.count) NO_PROXY rules)"
    }
}
