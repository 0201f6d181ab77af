import Glibc

/// Decides whether a host name or address literal refers only to the local machine.
enum LoopbackHost {
    /// Whether every address `host` resolves to is a loopback address (`127.0.0.0/8` or `::1`).
    ///
    /// - Parameter host: A name or an IPv4/IPv6 literal without brackets.
    /// - Returns: `false` when the host does not resolve or any of its addresses is not loopback.
    static func resolvesOnlyToLoopback(_ host: String) -> Bool {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return false }
        defer { freeaddrinfo(first) }
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        var sawAddress = false
        while let info = candidate {
            candidate = info.pointee.ai_next
            guard let address = info.pointee.ai_addr else { return false }
            sawAddress = true
            switch Int32(address.pointee.sa_family) {
            case AF_INET:
                let isLoopback = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    UInt32(bigEndian: $0.pointee.sin_addr.s_addr) >> 24 == 127
                }
                if !isLoopback { return false }
            case AF_INET6:
                let isLoopback = address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                    withUnsafeBytes(of: pointer.pointee.sin6_addr) { bytes in
                        bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1
                    }
                }
                if !isLoopback { return false }
            default:
                return false
            }
        }
        return sawAddress
    }
}
