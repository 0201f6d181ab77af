/// An `http` or `https` URL split into the parts a client needs.
///
/// Accepted form: `scheme://host[:port][/path][?query][#fragment]`, where host is a name, an IPv4 literal or a
/// bracketed IPv6 literal (`[::1]`). User information (`user@`) is refused. The fragment is dropped. Path and
/// query are kept as given (already percent-encoded) and must be visible ASCII.
public struct HTTPURL: Sendable, Hashable, CustomStringConvertible {
    /// `http` or `https`, lower case.
    public let scheme: String
    /// The host without brackets, for example `example.com`, `127.0.0.1` or `::1`.
    public let host: String
    /// The port; 80 for http and 443 for https when the URL has none.
    public let port: Int
    /// The path, starting with `/`.
    public let path: String
    /// The query without `?`, or `nil` when the URL has no `?`.
    public let query: String?

    /// Parses a URL.
    /// - Parameter string: The URL text.
    /// - Throws: ``HTTPClientError`` with code `invalidURL`.
    public init(parsing string: String) throws(HTTPClientError) {
        guard let colon = string.firstIndex(of: ":"), string[colon...].hasPrefix("://") else {
            throw HTTPClientError(.invalidURL, detail: "missing scheme")
        }
        let scheme = string[..<colon].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw HTTPClientError(.invalidURL, detail: "unsupported scheme")
        }
        var rest = string[colon...].dropFirst(3)
        if let hash = rest.firstIndex(of: "#") {
            rest = rest[..<hash]
        }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let (host, port) = try Self.parseAuthority(rest[..<authorityEnd], defaultPort: scheme == "https" ? 443 : 80)
        let target = rest[authorityEnd...]
        guard target.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
            throw HTTPClientError(.invalidURL, detail: "invalid character in path or query")
        }
        let pathEnd = target.firstIndex(of: "?") ?? target.endIndex
        let path = String(target[..<pathEnd])
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path.isEmpty ? "/" : path
        self.query = pathEnd < target.endIndex ? String(target[target.index(after: pathEnd)...]) : nil
    }

    /// The request target in origin-form: path plus `?query` when present.
    public var target: String {
        guard let query = self.query else {
            return self.path
        }
        return "\(self.path)?\(query)"
    }

    /// Whether the scheme is `https`.
    public var isTLS: Bool { self.scheme == "https" }

    /// The `Host` header value: the host (bracketed when IPv6) plus `:port` unless it is the scheme's default.
    public var hostHeaderValue: String {
        let defaultPort = self.isTLS ? 443 : 80
        return HTTPURL.hostHeaderValue(host: self.host, port: self.port, defaultPort: defaultPort)
    }

    /// The URL text, without any fragment.
    public var description: String {
        "\(self.scheme)://\(self.hostHeaderValue)\(self.target)"
    }

    /// Formats a `Host` header value.
    /// - Parameters:
    ///   - host: The host without brackets.
    ///   - port: The port.
    ///   - defaultPort: The port that is left out.
    /// - Returns: `host`, `host:port`, `[v6]` or `[v6]:port`.
    static func hostHeaderValue(host: String, port: Int, defaultPort: Int) -> String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == defaultPort ? name : "\(name):\(port)"
    }

    private static func parseAuthority(
        _ authority: Substring,
        defaultPort: Int
    ) throws(HTTPClientError) -> (String, Int) {
        guard !authority.contains("@") else {
            throw HTTPClientError(.invalidURL, detail: "user information is not supported")
        }
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw HTTPClientError(.invalidURL, detail: "unterminated IPv6 literal")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    throw HTTPClientError(.invalidURL, detail: "unexpected text after IPv6 literal")
                }
                portText = after.dropFirst()
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty, host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) else {
            throw HTTPClientError(.invalidURL, detail: "invalid host")
        }
        guard let portText else {
            return (String(host), defaultPort)
        }
        guard !portText.isEmpty, portText.count <= 5, portText.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let port = Int(portText), (1...65_535).contains(port)
        else {
            throw HTTPClientError(.invalidURL, detail: "invalid port")
        }
        return (String(host), port)
    }
}
