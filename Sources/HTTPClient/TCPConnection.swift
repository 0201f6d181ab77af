import Glibc
import HTTPCore
import Synchronization

/// A plain TCP ``HTTPTransportConnection`` over a non-blocking socket, with `poll`-based timeouts.
public final class TCPConnection: HTTPTransportConnection {
    private let fd: Int32
    private let isClosed = Atomic<Bool>(false)

    /// Takes ownership of a connected non-blocking socket.
    /// - Parameter fd: The socket descriptor.
    init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        self.close()
    }

    /// Writes `first` then `second` completely with `sendmsg` and `MSG_NOSIGNAL`.
    /// - Parameters:
    ///   - first: The first bytes.
    ///   - second: The following bytes; may be empty.
    ///   - timeout: How long the write may make no progress.
    /// - Throws: ``HTTPClientError`` with `timeout`, `connectionReset` or `ioFailed`.
    public func write(
        _ first: UnsafeRawBufferPointer,
        _ second: UnsafeRawBufferPointer,
        timeout: Duration
    ) throws(HTTPClientError) {
        var vectors = [iovec](repeating: iovec(), count: 2)
        var offsets = (0, 0)
        while offsets.0 < first.count || offsets.1 < second.count {
            var count = 0
            if offsets.0 < first.count, let base = first.baseAddress {
                vectors[count] = iovec(
                    iov_base: UnsafeMutableRawPointer(mutating: base + offsets.0),
                    iov_len: first.count - offsets.0
                )
                count += 1
            }
            if offsets.1 < second.count, let base = second.baseAddress {
                vectors[count] = iovec(
                    iov_base: UnsafeMutableRawPointer(mutating: base + offsets.1),
                    iov_len: second.count - offsets.1
                )
                count += 1
            }
            let sent = vectors.withUnsafeMutableBufferPointer { buffer in
                var message = msghdr()
                message.msg_iov = buffer.baseAddress
                message.msg_iovlen = count
                return sendmsg(self.fd, &message, Int32(MSG_NOSIGNAL))
            }
            if sent >= 0 {
                let fromFirst = min(sent, first.count - offsets.0)
                offsets.0 += fromFirst
                offsets.1 += sent - fromFirst
                continue
            }
            let code = errno
            switch code {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK:
                guard self.wait(for: Int16(POLLOUT), timeout: timeout) else {
                    throw HTTPClientError(.timeout, detail: "write")
                }
            default:
                throw Self.error(for: code)
            }
        }
    }

    /// Reads at least one byte, or detects end of stream.
    /// - Parameters:
    ///   - buffer: The destination.
    ///   - timeout: How long to wait for data.
    /// - Returns: The number of bytes read; 0 at end of stream.
    /// - Throws: ``HTTPClientError`` with `timeout`, `connectionReset` or `ioFailed`.
    public func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration) throws(HTTPClientError) -> Int {
        while true {
            let count = recv(self.fd, buffer.baseAddress, buffer.count, 0)
            if count >= 0 {
                return count
            }
            let code = errno
            switch code {
            case EINTR:
                continue
            case EAGAIN, EWOULDBLOCK:
                guard self.wait(for: Int16(POLLIN), timeout: timeout) else {
                    throw HTTPClientError(.timeout, detail: "read")
                }
            default:
                throw Self.error(for: code)
            }
        }
    }

    /// Whether the socket is open with nothing waiting to be read (a readable idle socket means the server
    /// closed it or sent something unexpected).
    public var isReusable: Bool {
        guard !self.isClosed.load(ordering: .acquiring) else {
            return false
        }
        var descriptor = pollfd(fd: self.fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 0
    }

    /// Closes the socket once.
    public func close() {
        if !self.isClosed.exchange(true, ordering: .acquiringAndReleasing) {
            _ = Glibc.close(self.fd)
        }
    }

    private func wait(for events: Int16, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            var descriptor = pollfd(fd: self.fd, events: events, revents: 0)
            let result = poll(&descriptor, 1, (deadline - .now).pollMilliseconds)
            if result > 0 {
                return true
            }
            if result == 0 {
                return false
            }
            if errno != EINTR {
                return true
            }
        }
    }

    private static func error(for code: Int32) -> HTTPClientError {
        switch code {
        case ECONNRESET, EPIPE, ECONNABORTED, ENOTCONN:
            HTTPClientError(.connectionReset, errnoCode: code)
        default:
            HTTPClientError(.ioFailed, errnoCode: code)
        }
    }
}
