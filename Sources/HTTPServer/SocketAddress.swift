import Glibc

/// An IPv4 or IPv6 socket address built from a literal host and a port.
struct SocketAddress {
    /// The address storage.
    private(set) var storage = sockaddr_storage()
    /// The length of the address inside ``storage``.
    private(set) var length: socklen_t = 0
    /// `AF_INET` or `AF_INET6`.
    let family: Int32

    /// Parses a literal address.
    /// - Parameters:
    ///   - host: An IPv4 literal (`127.0.0.1`, `0.0.0.0`) or an IPv6 literal, with or without brackets
    ///   (`::1`, `[::]`). Host names are not resolved.
    ///   - port: The port, 0–65535.
    /// - Returns: `nil` when `host` is not a literal address or the port is out of range.
    init?(host: String, port: Int) {
        guard (0...65_535).contains(port) else {
            return nil
        }
        var literal = Substring(host)
        if literal.hasPrefix("["), literal.hasSuffix("]") {
            literal = literal.dropFirst().dropLast()
        }
        var ipv4 = in_addr()
        var ipv6 = in6_addr()
        if inet_pton(AF_INET, String(literal), &ipv4) == 1 {
            self.family = AF_INET
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr = ipv4
            self.length = socklen_t(MemoryLayout<sockaddr_in>.size)
            withUnsafeMutableBytes(of: &self.storage) { storage in
                withUnsafeBytes(of: &address) { storage.copyMemory(from: $0) }
            }
        } else if inet_pton(AF_INET6, String(literal), &ipv6) == 1 {
            self.family = AF_INET6
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            address.sin6_addr = ipv6
            self.length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            withUnsafeMutableBytes(of: &self.storage) { storage in
                withUnsafeBytes(of: &address) { storage.copyMemory(from: $0) }
            }
        } else {
            return nil
        }
    }

    /// Calls `body` with the address as a `sockaddr` pointer and its length.
    /// - Parameter body: The closure, typically `bind`.
    /// - Returns: What `body` returns.
    func withSockaddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> Result) -> Result {
        withUnsafeBytes(of: self.storage) { raw in
            body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), self.length)
        }
    }

    /// Formats an address returned by `accept` or `getsockname` as `a.b.c.d:port` or `[v6]:port`.
    /// - Parameter storage: The address.
    /// - Returns: The text and the port, or `("unknown", 0)` for another family.
    static func describe(_ storage: sockaddr_storage) -> (text: String, port: Int) {
        var storage = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.ss_family) {
        case AF_INET:
            let address = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in.self) }
            var ip = address.sin_addr
            inet_ntop(AF_INET, &ip, &text, socklen_t(text.count))
            let port = Int(UInt16(bigEndian: address.sin_port))
            return ("\(Self.string(fromCString: text)):\(port)", port)
        case AF_INET6:
            let address = withUnsafeBytes(of: &storage) { $0.load(as: sockaddr_in6.self) }
            var ip = address.sin6_addr
            inet_ntop(AF_INET6, &ip, &text, socklen_t(text.count))
            let port = Int(UInt16(bigEndian: address.sin6_port))
            return ("[\(Self.string(fromCString: text))]:\(port)", port)
        default:
            return ("unknown", 0)
        }
    }

    private static func string(fromCString characters: [CChar]) -> String {
        String(decoding: characters.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
