import Glibc
import HTTPCore

/// Thin wrappers over the socket system calls used by the server.
///
/// Every wrapper retries on `EINTR` and captures `errno` immediately after the call, before any other code can
/// overwrite it. Descriptors are always non-blocking; waiting is done with `poll` or `epoll`.
enum Syscall {
    /// The outcome of a read or write on a non-blocking descriptor.
    enum IOResult {
        /// This many bytes were transferred (more than zero, except for a send of nothing).
        case bytes(Int)
        /// The peer closed its side (reads only).
        case endOfFile
        /// Nothing can be transferred without blocking.
        case wouldBlock
        /// The call failed with this errno.
        case failed(Int32)
    }

    /// Reads into `buffer` once.
    /// - Parameters:
    ///   - fd: A non-blocking socket.
    ///   - buffer: The destination.
    /// - Returns: The outcome.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        while true {
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            if count > 0 {
                return .bytes(count)
            }
            if count == 0 {
                return .endOfFile
            }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(code)
            }
        }
    }

    /// Sends the bytes described by `vectors` once, with `MSG_NOSIGNAL`.
    /// - Parameters:
    ///   - fd: A non-blocking socket.
    ///   - vectors: The buffers to gather, in order.
    /// - Returns: The outcome; `.bytes` may be fewer than requested.
    static func send(_ fd: Int32, vectors: UnsafeMutableBufferPointer<iovec>) -> IOResult {
        var message = msghdr()
        message.msg_iov = vectors.baseAddress
        message.msg_iovlen = vectors.count
        while true {
            let count = sendmsg(fd, &message, Int32(MSG_NOSIGNAL))
            if count >= 0 {
                return .bytes(count)
            }
            let code = errno
            switch code {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(code)
            }
        }
    }

    /// Waits until `fd` is ready for `events` or `timeoutMilliseconds` pass.
    /// - Parameters:
    ///   - fd: The descriptor.
    ///   - events: `POLLIN` or `POLLOUT`.
    ///   - timeoutMilliseconds: The longest wait; 0 polls without waiting.
    /// - Returns: `true` when ready (or in error, which the next read or write reports), `false` on timeout.
    static func wait(_ fd: Int32, for events: Int16, timeoutMilliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: fd, events: events, revents: 0)
        while true {
            let result = poll(&descriptor, 1, timeoutMilliseconds)
            if result >= 0 {
                return result > 0
            }
            if errno != EINTR {
                return true
            }
        }
    }

    /// Sends as much of `bytes` as the socket buffer takes right now, without waiting.
    /// - Parameters:
    ///   - fd: A non-blocking socket.
    ///   - bytes: The bytes to send.
    /// - Returns: `true` when every byte was sent.
    static func sendWithoutWaiting(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if count > 0 {
                offset += count
            } else if count < 0, errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }

    /// `SIOCOUTQNSD` from `linux/sockios.h`, which the Glibc module does not export.
    private static let unsentQueueRequest: UInt = 0x894B

    /// The bytes written to a TCP socket that the kernel has not sent yet (not counting those sent and awaiting
    /// acknowledgement): they pile up when the peer stops reading and its receive window closes.
    /// - Parameter fd: A connected TCP socket.
    /// - Returns: The count; 0 when the kernel cannot tell.
    static func unsentBytes(_ fd: Int32) -> Int {
        var count: Int32 = 0
        let result = withUnsafeMutablePointer(to: &count) { ioctl(fd, Self.unsentQueueRequest, $0) }
        return result == 0 ? Int(count) : 0
    }

    /// Shuts down the sending side so the peer sees end-of-file while this side can still drain its input.
    /// - Parameter fd: A connected socket.
    static func shutdownWrite(_ fd: Int32) {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// Shuts down both directions, waking any thread blocked on the socket.
    /// - Parameter fd: A connected socket.
    static func shutdownBoth(_ fd: Int32) {
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Closes a descriptor. Not retried on `EINTR`: on Linux the descriptor is released either way.
    /// - Parameter fd: The descriptor.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Sets an integer socket option, ignoring failure (used only for optional tuning).
    /// - Parameters:
    ///   - fd: The socket.
    ///   - level: The option level, such as `IPPROTO_TCP`.
    ///   - name: The option name, such as `TCP_NODELAY`.
    ///   - value: The value.
    static func setOption(_ fd: Int32, level: Int32, name: Int32, value: Int32) {
        var value = value
        _ = setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
    }
}
