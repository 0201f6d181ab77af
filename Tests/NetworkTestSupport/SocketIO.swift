import Glibc

/// Blocking socket helpers for loopback test servers and proxies.
public enum SocketIO {
    /// Connects to `127.0.0.1:port`.
    /// - Parameter port: The port.
    /// - Returns: The connected descriptor.
    /// - Throws: ``TestFailure`` when the connection fails.
    public static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            throw TestFailure("socket failed: errno \(errno)")
        }
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw TestFailure("connect to 127.0.0.1:\(port) failed: errno \(code)")
        }
        return fd
    }

    /// Whether something accepts TCP connections on `127.0.0.1:port`.
    /// - Parameter port: The port.
    /// - Returns: `true` when a connection succeeded (it is closed at once).
    public static func isListening(port: Int) -> Bool {
        guard let fd = try? connect(port: port) else {
            return false
        }
        Glibc.close(fd)
        return true
    }

    /// Waits until `127.0.0.1:port` accepts connections.
    /// - Parameters:
    ///   - port: The port.
    ///   - seconds: The longest wait.
    /// - Throws: ``TestFailure`` when nothing listens in time.
    public static func waitUntilListening(port: Int, seconds: Double) throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1_000))
        while !isListening(port: port) {
            guard ContinuousClock.now < deadline else {
                throw TestFailure("nothing listens on 127.0.0.1:\(port) after \(seconds) s")
            }
            usleep(50_000)
        }
    }

    /// A loopback port below the kernel's ephemeral range (32768 and up here) that is free now: client sockets
    /// never take it, so a service restarted on it (after a kill) finds it free again.
    /// - Returns: The port number.
    public static func servicePort() -> Int {
        while true {
            let port = Int.random(in: 20_000..<32_000)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
            var address = loopback(port: port)
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            Glibc.close(fd)
            if bound == 0 { return port }
        }
    }

    /// A free loopback port (bound and released; another process could take it in between).
    /// - Returns: The port number.
    /// - Throws: ``TestFailure`` when no socket can be bound.
    public static func freePort() throws -> Int {
        let listener = try LoopbackListener()
        defer { listener.close() }
        return listener.port
    }

    /// Reads what is available, waiting up to `timeout`.
    /// - Parameters:
    ///   - fd: The socket.
    ///   - timeout: The longest wait.
    /// - Returns: The bytes, `[]` at end of stream, `nil` on timeout or error.
    public static func readSome(_ fd: Int32, timeout: Duration = .seconds(10)) -> [UInt8]? {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(
            timeout.components.seconds * 1_000 + timeout.components.attoseconds / 1_000_000_000_000_000
        )
        guard poll(&descriptor, 1, milliseconds) > 0 else {
            return nil
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count >= 0 else {
            return nil
        }
        return Array(chunk[0..<count])
    }

    /// Writes every byte.
    /// - Parameters:
    ///   - fd: The socket.
    ///   - bytes: The bytes.
    /// - Returns: `false` when the peer is gone.
    @discardableResult
    public static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else {
                return false
            }
            offset += sent
        }
        return true
    }

    /// Closes a socket so that the peer sees a reset (RST) instead of an orderly close.
    /// - Parameter fd: The socket.
    public static func resetAndClose(_ fd: Int32) {
        var option = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
        Glibc.close(fd)
    }

    /// Copies bytes both ways between two sockets until either side closes, then closes both.
    /// - Parameters:
    ///   - first: One socket.
    ///   - second: The other.
    public static func relay(_ first: Int32, _ second: Int32) {
        var descriptors = [
            pollfd(fd: first, events: Int16(POLLIN), revents: 0),
            pollfd(fd: second, events: Int16(POLLIN), revents: 0),
        ]
        var chunk = [UInt8](repeating: 0, count: 65_536)
        loop: while poll(&descriptors, 2, 30_000) > 0 {
            for (index, descriptor) in descriptors.enumerated() where descriptor.revents != 0 {
                let source = descriptor.fd
                let target = index == 0 ? second : first
                let count = chunk.withUnsafeMutableBytes { recv(source, $0.baseAddress, $0.count, 0) }
                guard count > 0, writeAll(target, Array(chunk[0..<count])) else {
                    break loop
                }
            }
        }
        Glibc.close(first)
        Glibc.close(second)
    }

    /// The IPv4 loopback address with a port.
    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
