/// Splitting `host[:port]` and `[v6][:port]` authorities.
enum HostPort {
    /// Parses an authority.
    /// - Parameters:
    ///   - text: `host`, `host:port`, `[v6]` or `[v6]:port`.
    ///   - defaultPort: The port when none is given.
    /// - Returns: The host without brackets and the port, or `nil` when malformed.
    static func parse(_ text: Substring, defaultPort: Int) -> (String, Int)? {
        var host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                return nil
            }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else {
                    return nil
                }
                portText = after.dropFirst()
            }
        } else if let colon = text.firstIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            host = text
        }
        guard !host.isEmpty, host.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) else {
            return nil
        }
        guard let portText else {
            return (String(host), defaultPort)
        }
        guard let port = Int(portText), (1...65_535).contains(port) else {
            return nil
        }
        return (String(host), port)
    }
}
