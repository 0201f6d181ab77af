import COpenSSLTLS
import Glibc
import Synchronization

/// The TLS state of one server connection: an OpenSSL `SSL` on the connection's non-blocking socket.
///
/// Like the rest of ``ConnectionState`` it is used by one thread at a time (the reactor, then a worker, then the
/// reactor again), so the OpenSSL object needs no lock; the handover through the work queue or the mailbox
/// orders the accesses.
final class TLSSession: Sendable {
    /// The outcome of one non-blocking TLS operation.
    enum Outcome {
        /// This many plaintext bytes were read or written (more than zero).
        case bytes(Int)
        /// The peer ended the stream (with or without close_notify).
        case endOfFile
        /// OpenSSL needs the socket to become readable first.
        case wantRead
        /// OpenSSL needs the socket to become writable first.
        case wantWrite
        /// The session failed: `code` is the errno for a system call failure, else `EPROTO`.
        case failed(code: Int32, reason: String)
    }

    nonisolated(unsafe) private let ssl: OpaquePointer
    /// Set after a fatal error, when OpenSSL forbids sending close_notify.
    private let isBroken = Atomic<Bool>(false)

    /// Creates a server-mode session on `fd`.
    /// - Parameters:
    ///   - context: The `SSL_CTX`; the session keeps its own reference.
    ///   - fd: The connected, non-blocking socket; it is not closed by the session.
    init?(context: OpaquePointer, fd: Int32) {
        ERR_clear_error()
        guard let ssl = SSL_new(context) else {
            ERR_clear_error()
            return nil
        }
        guard SSL_set_fd(ssl, fd) == 1 else {
            ERR_clear_error()
            SSL_free(ssl)
            return nil
        }
        SSL_set_accept_state(ssl)
        self.ssl = ssl
    }

    deinit {
        SSL_free(self.ssl)
    }

    /// Advances the handshake without blocking.
    /// - Returns: `.bytes(0)` once the handshake is complete, or what it waits for, or why it failed.
    func handshake() -> Outcome {
        ERR_clear_error()
        let result = SSL_do_handshake(self.ssl)
        if result == 1 {
            return .bytes(0)
        }
        return self.outcome(of: result, operation: "handshake")
    }

    /// Reads and decrypts once without blocking.
    /// - Parameter buffer: The destination.
    /// - Returns: The outcome.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> Outcome {
        ERR_clear_error()
        let result = SSL_read(self.ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        if result > 0 {
            return .bytes(Int(result))
        }
        return self.outcome(of: result, operation: "read")
    }

    /// Encrypts and sends once without blocking. After `.wantRead` or `.wantWrite`, call it again with the same
    /// bytes.
    /// - Parameter bytes: The plaintext; at most one TLS record's worth is guaranteed per call.
    /// - Returns: The outcome.
    func write(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        guard !bytes.isEmpty else {
            return .bytes(0)
        }
        ERR_clear_error()
        let result = SSL_write(self.ssl, bytes.baseAddress, Int32(clamping: bytes.count))
        if result > 0 {
            return .bytes(Int(result))
        }
        return self.outcome(of: result, operation: "write")
    }

    /// Whether OpenSSL holds received bytes not yet returned by ``read(into:)``; the socket then does not
    /// become readable for them, so the caller must read again instead of waiting.
    var hasBufferedInput: Bool {
        SSL_has_pending(self.ssl) == 1
    }

    /// Sends close_notify once, without waiting, when the session is healthy and established.
    func sendCloseNotify() {
        guard !self.isBroken.load(ordering: .acquiring), SSL_is_init_finished(self.ssl) == 1,
            lakemark_tls_sent_close_notify(self.ssl) == 0
        else {
            return
        }
        ERR_clear_error()
        _ = SSL_shutdown(self.ssl)
        ERR_clear_error()
    }

    private func outcome(of result: Int32, operation: String) -> Outcome {
        let code = errno
        switch SSL_get_error(self.ssl, result) {
        case SSL_ERROR_WANT_READ:
            return .wantRead
        case SSL_ERROR_WANT_WRITE:
            return .wantWrite
        case SSL_ERROR_ZERO_RETURN:
            return .endOfFile
        case SSL_ERROR_SYSCALL:
            self.isBroken.store(true, ordering: .releasing)
            let reason = Self.drainErrors()
            if code == 0 || code == EPIPE || code == ECONNRESET {
                return operation == "read" && reason.isEmpty ? .endOfFile : .failed(code: code, reason: reason)
            }
            return .failed(code: code, reason: reason.isEmpty ? "\(operation) failed" : reason)
        default:
            self.isBroken.store(true, ordering: .releasing)
            return .failed(code: EPROTO, reason: Self.drainErrors())
        }
    }

    /// Removes every error queued by OpenSSL on this thread and joins their texts.
    /// - Returns: For example `error:0A00010B:SSL routines::wrong version number`; empty when none was queued.
    static func drainErrors() -> String {
        var buffer = [CChar](repeating: 0, count: 1_024)
        _ = lakemark_tls_drain_errors(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
