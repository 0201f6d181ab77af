#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One entry of a `NO_PROXY` list: every host, a domain (and its subdomains), or an IP address or CIDR block,
/// optionally limited to one port. Host names are compared as written, never resolved (as curl does).
public struct NoProxyRule: Sendable, Hashable {
    /// What the rule matches.
    public enum Pattern: Sendable, Hashable {
        /// `*`: every host.
        case everything
        /// A domain: the name itself and every name ending in `.domain` (`.example.com`, `*.example.com` and
        /// `example.com` are the same rule).
        case domain(String)
        /// An IPv4 (4 bytes) or IPv6 (16 bytes) network: the address bytes and the prefix length in bits.
        case network(address: [UInt8], prefixLength: Int)
    }

    /// What the rule matches.
    public let pattern: Pattern
    /// The only port the rule applies to, or `nil` for every port.
    public let port: Int?

    /// Parses a comma-separated list; blank and malformed entries are skipped.
    /// - Parameter list: For example `localhost,.internal,10.0.0.0/8,[::1]:8443`.
    /// - Returns: The rules in order.
    public static func parseList(_ list: String) -> [NoProxyRule] {
        list.split(separator: ",").compactMap { parse(Substring($0.filter { !$0.isWhitespace })) }
    }

    /// Parses one entry.
    /// - Parameter entry: The entry without surrounding spaces.
    /// - Returns: The rule, or `nil` when the entry is blank or malformed.
    static func parse(_ entry: Substring) -> NoProxyRule? {
        let text = entry.lowercased()
        guard !text.isEmpty else {
            return nil
        }
        if text == "*" {
            return NoProxyRule(pattern: .everything, port: nil)
        }
        if let slash = text.firstIndex(of: "/") {
            let addressText = normalizedHost(String(text[..<slash]))
            guard let address = ipAddress(addressText), let bits = Int(text[text.index(after: slash)...]),
                (0...(address.count * 8)).contains(bits)
            else {
                return nil
            }
            return NoProxyRule(pattern: .network(address: address, prefixLength: bits), port: nil)
        }
        var hostText = text
        var port: Int?
        let colons = text.filter { $0 == ":" }.count
        if text.hasPrefix("[") || colons == 1 {
            guard let (host, parsedPort) = HostPort.parse(Substring(text), defaultPort: 0) else {
                return nil
            }
            hostText = host
            port = parsedPort == 0 ? nil : parsedPort
        }
        let host = normalizedHost(hostText)
        if let address = ipAddress(host) {
            return NoProxyRule(pattern: .network(address: address, prefixLength: address.count * 8), port: port)
        }
        var domain = Substring(host)
        if domain.hasPrefix("*.") {
            domain = domain.dropFirst(2)
        } else if domain.hasPrefix(".") {
            domain = domain.dropFirst()
        }
        guard !domain.isEmpty else {
            return nil
        }
        return NoProxyRule(pattern: .domain(String(domain)), port: port)
    }

    /// Whether the rule matches a destination.
    /// - Parameters:
    ///   - host: The host as returned by ``normalizedHost(_:)``.
    ///   - port: The destination port.
    /// - Returns: `true` when the host and (if the rule names one) the port match.
    func matches(host: String, port: Int) -> Bool {
        if let only = self.port, only != port {
            return false
        }
        switch self.pattern {
        case .everything:
            return true
        case .domain(let domain):
            return host == domain || host.hasSuffix("." + domain)
        case .network(let network, let prefixLength):
            guard let address = Self.ipAddress(host), address.count == network.count else {
                return false
            }
            var remaining = prefixLength
            for index in 0..<address.count where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if address[index] & mask != network[index] & mask {
                    return false
                }
                remaining -= bits
            }
            return true
        }
    }

    /// Lower-cases a host and removes IPv6 brackets and a trailing dot.
    /// - Parameter host: A host name or IP literal.
    /// - Returns: The comparable form.
    static func normalizedHost(_ host: String) -> String {
        var text = Substring(host.lowercased())
        if text.hasPrefix("["), text.hasSuffix("]") {
            text = text.dropFirst().dropLast()
        }
        while text.hasSuffix(".") {
            text = text.dropLast()
        }
        return String(text)
    }

    /// The bytes of an IPv4 or IPv6 literal.
    /// - Parameter text: The literal without brackets.
    /// - Returns: 4 or 16 bytes, or `nil` when `text` is not an address.
    static func ipAddress(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
