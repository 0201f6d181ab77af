import Glibc
import HTTPCore

/// Ignores SIGPIPE for the whole process, once; writes also pass `MSG_NOSIGNAL`.
private let ignoreSIGPIPE: Void = {
    _ = signal(SIGPIPE, SIG_IGN)
}()

/// Opens plain TCP connections: resolves the host, then tries each address with a non-blocking `connect` and
/// `poll`, all within one overall timeout. Sets `TCP_NODELAY`.
public struct TCPConnector: HTTPTransportConnector {
    /// Creates a connector.
    public init() {}

    /// Connects to `host:port`.
    /// - Parameters:
    ///   - host: A host name or an IPv4/IPv6 literal (brackets allowed).
    ///   - port: The TCP port, 1–65535.
    ///   - timeout: The longest time for resolution plus connection.
    /// - Returns: A ``TCPConnection``.
    /// - Throws: ``HTTPClientError`` with `connectFailed` (resolution failure or refusal, with the last errno)
    ///   or `timeout`.
    public func connect(
        host: String,
        port: Int,
        timeout: Duration
    ) throws(HTTPClientError) -> any HTTPTransportConnection {
        _ = ignoreSIGPIPE
        let deadline = ContinuousClock.now + timeout
        var name = Substring(host)
        if name.hasPrefix("["), name.hasSuffix("]") {
            name = name.dropFirst().dropLast()
        }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(String(name), String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw HTTPClientError(.connectFailed, detail: "cannot resolve \(host)")
        }
        defer { freeaddrinfo(first) }
        var lastErrno: Int32 = 0
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            switch Self.attempt(info.pointee, deadline: deadline) {
            case .success(let fd):
                var one: Int32 = 1
                _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return TCPConnection(fd: fd)
            case .failure(let error) where error.code == .timeout:
                throw error
            case .failure(let error):
                lastErrno = error.errnoCode ?? lastErrno
            }
        }
        throw HTTPClientError(.connectFailed, errnoCode: lastErrno, detail: "\(host) port \(port)")
    }

    private static func attempt(_ info: addrinfo, deadline: ContinuousClock.Instant) -> Result<Int32, HTTPClientError> {
        let fd = socket(info.ai_family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            return .failure(HTTPClientError(.connectFailed, errnoCode: errno))
        }
        var result = Glibc.connect(fd, info.ai_addr, info.ai_addrlen)
        var code = result == 0 ? 0 : errno
        while result != 0, code == EINTR {
            result = Glibc.connect(fd, info.ai_addr, info.ai_addrlen)
            code = result == 0 ? 0 : errno
        }
        if result == 0 || code == EISCONN {
            return .success(fd)
        }
        guard code == EINPROGRESS || code == EALREADY else {
            _ = Glibc.close(fd)
            return .failure(HTTPClientError(.connectFailed, errnoCode: code))
        }
        while true {
            var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&descriptor, 1, (deadline - .now).pollMilliseconds)
            if ready < 0, errno == EINTR {
                continue
            }
            if ready == 0 {
                _ = Glibc.close(fd)
                return .failure(HTTPClientError(.timeout, detail: "connect"))
            }
            break
        }
        var socketError: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length)
        guard socketError == 0 else {
            _ = Glibc.close(fd)
            return .failure(HTTPClientError(.connectFailed, errnoCode: socketError))
        }
        return .success(fd)
    }
}
