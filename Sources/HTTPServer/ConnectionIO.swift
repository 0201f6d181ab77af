import Glibc
import HTTPCore

/// Blocking-style reads and writes with deadlines over a non-blocking socket, used by worker threads; on a TLS
/// connection they go through the session, waiting for whichever readiness OpenSSL asks for.
enum ConnectionIO {
    /// Why a read or write stopped.
    enum Failure: Error {
        /// The deadline passed.
        case timedOut
        /// The peer closed the connection.
        case endOfFile
        /// The system call failed with this errno.
        case failed(Int32)
    }

    /// Reads at least one byte, waiting until `deadline`.
    /// - Parameters:
    ///   - fd: A non-blocking socket.
    ///   - tls: The connection's TLS session, or `nil` for plain bytes.
    ///   - buffer: The destination.
    ///   - deadline: When to give up.
    /// - Returns: The number of bytes read (more than zero).
    /// - Throws: ``Failure``.
    static func read(
        _ fd: Int32,
        tls: TLSSession?,
        into buffer: UnsafeMutableRawBufferPointer,
        until deadline: ContinuousClock.Instant
    ) throws(Failure) -> Int {
        if let tls {
            return try self.readTLS(fd, tls: tls, into: buffer, until: deadline)
        }
        while true {
            switch Syscall.read(fd, into: buffer) {
            case .bytes(let count):
                return count
            case .endOfFile:
                throw .endOfFile
            case .failed(let code):
                throw .failed(code)
            case .wouldBlock:
                let milliseconds = (deadline - .now).pollMilliseconds
                guard milliseconds > 0 else {
                    throw .timedOut
                }
                _ = Syscall.wait(fd, for: Int16(POLLIN), timeoutMilliseconds: milliseconds)
            }
        }
    }

    /// Writes `first` then `second` completely, gathering them into as few `sendmsg` calls as possible.
    /// - Parameters:
    ///   - fd: A non-blocking socket.
    ///   - tls: The connection's TLS session, or `nil` for plain bytes.
    ///   - first: The first bytes, typically a response head.
    ///   - second: The following bytes, typically the body; may be empty.
    ///   - deadline: When every byte must have been handed to the kernel; a peer that reads more slowly (or not
    ///     at all) gets `.timedOut`, so it holds the calling worker no longer than this.
    /// - Returns: `nil` on success, or why the write stopped.
    static func writeAll(
        _ fd: Int32,
        tls: TLSSession?,
        _ first: UnsafeRawBufferPointer,
        _ second: UnsafeRawBufferPointer,
        until deadline: ContinuousClock.Instant
    ) -> Failure? {
        if let tls {
            return self.writeTLS(fd, tls: tls, first, second, until: deadline)
        }
        let vectors = UnsafeMutableBufferPointer<iovec>.allocate(capacity: 2)
        defer { vectors.deallocate() }
        var firstOffset = 0
        var secondOffset = 0
        while firstOffset < first.count || secondOffset < second.count {
            var count = 0
            if firstOffset < first.count, let base = first.baseAddress {
                vectors[count] = iovec(
                    iov_base: UnsafeMutableRawPointer(mutating: base + firstOffset),
                    iov_len: first.count - firstOffset
                )
                count += 1
            }
            if secondOffset < second.count, let base = second.baseAddress {
                vectors[count] = iovec(
                    iov_base: UnsafeMutableRawPointer(mutating: base + secondOffset),
                    iov_len: second.count - secondOffset
                )
                count += 1
            }
            switch Syscall.send(fd, vectors: UnsafeMutableBufferPointer(rebasing: vectors[0..<count])) {
            case .bytes(let sent):
                let fromFirst = min(sent, first.count - firstOffset)
                firstOffset += fromFirst
                secondOffset += sent - fromFirst
            case .wouldBlock:
                let milliseconds = (deadline - .now).pollMilliseconds
                guard milliseconds > 0, Syscall.wait(fd, for: Int16(POLLOUT), timeoutMilliseconds: milliseconds) else {
                    return .timedOut
                }
            case .failed(let code):
                return .failed(code)
            case .endOfFile:
                return .endOfFile
            }
        }
        return nil
    }
}
