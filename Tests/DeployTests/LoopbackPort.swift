import Foundation

/// Loopback TCP sockets for the tests: a free port, and a listener that never answers.
enum LoopbackPort {
    /// A socket failed.
    struct SocketError: Error, CustomStringConvertible {
        /// The call that failed.
        let call: String
        /// `errno` after it.
        let errnoCode: Int32

        /// The call and its errno.
        var description: String { "\(call) failed, errno \(errnoCode)" }
    }

    /// A port on 127.0.0.1 that nothing listens on right now (the kernel picks it; it is released at once).
    /// - Returns: the port number.
    /// - Throws: ``SocketError``.
    static func free() throws -> Int {
        let descriptor = try bound()
        defer { close(descriptor.socket) }
        return descriptor.port
    }

    /// A socket bound to an ephemeral port of 127.0.0.1 and listening, whose connections are never accepted:
    /// connecting succeeds (the backlog takes it) but no byte is ever answered.
    /// - Returns: the socket, to be closed by the caller, and its port.
    /// - Throws: ``SocketError``.
    static func silentListener() throws -> (socket: Int32, port: Int) {
        let descriptor = try bound()
        guard listen(descriptor.socket, 4) == 0 else {
            let code = errno
            close(descriptor.socket)
            throw SocketError(call: "listen", errnoCode: code)
        }
        return descriptor
    }

    private static func bound() throws -> (socket: Int32, port: Int) {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketDescriptor >= 0 else { throw SocketError(call: "socket", errnoCode: errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bindResult = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketDescriptor, $0, length) }
        }
        let nameResult = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketDescriptor, $0, &length) }
        }
        guard bindResult == 0, nameResult == 0 else {
            let code = errno
            close(socketDescriptor)
            throw SocketError(call: "bind", errnoCode: code)
        }
        return (socketDescriptor, Int(UInt16(bigEndian: address.sin_port)))
    }
}
