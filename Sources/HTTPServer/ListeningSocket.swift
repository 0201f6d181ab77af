import Glibc

/// Creates the server's non-blocking listening socket.
enum ListeningSocket {
    /// Opens, binds and listens.
    /// - Parameters:
    ///   - host: An IPv4 or IPv6 literal.
    ///   - port: The port; 0 for an ephemeral one.
    ///   - backlog: The `listen` backlog.
    /// - Returns: The descriptor and the port actually bound.
    /// - Throws: ``HTTPServerError`` with `invalidAddress`, `socketFailed`, `bindFailed` or `listenFailed`.
    static func open(host: String, port: Int, backlog: Int) throws(HTTPServerError) -> (fd: Int32, port: Int) {
        guard let address = SocketAddress(host: host, port: port) else {
            throw HTTPServerError(.invalidAddress, detail: host)
        }
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw HTTPServerError(.socketFailed, errnoCode: errno, detail: "socket")
        }
        Syscall.setOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
        let bound = address.withSockaddr { bind(fd, $0, $1) }
        guard bound == 0 else {
            let code = errno
            Syscall.close(fd)
            throw HTTPServerError(.bindFailed, errnoCode: code, detail: "\(host) port \(port)")
        }
        guard listen(fd, Int32(clamping: backlog)) == 0 else {
            let code = errno
            Syscall.close(fd)
            throw HTTPServerError(.listenFailed, errnoCode: code)
        }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let named = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            let code = errno
            Syscall.close(fd)
            throw HTTPServerError(.socketFailed, errnoCode: code, detail: "getsockname")
        }
        return (fd, SocketAddress.describe(storage).port)
    }
}
