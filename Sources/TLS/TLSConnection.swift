import COpenSSLTLS
public import HTTPClient
import Synchronization

/// A TLS stream over another ``HTTPTransportConnection`` (a TCP connection, or a proxy tunnel).
///
/// OpenSSL works on two memory buffers here: ciphertext read from the transport is pushed into one, and
/// ciphertext OpenSSL produces is taken from the other and written to the transport. All waiting (and so every
/// timeout) therefore happens in the transport, and the same code serves direct and tunnelled connections.
///
/// Like every ``HTTPTransportConnection``, a connection is used by one thread at a time; ``HTTPClient``'s pool
/// hands it from thread to thread, never to two at once.
public final class TLSConnection: HTTPTransportConnection {
    /// The size of the ciphertext staging buffer, in bytes.
    private static let scratchSize = 65_536
    /// How long closing waits to deliver `close_notify`.
    private static let closeNotifyTimeout = Duration.milliseconds(200)

    private let transport: any HTTPTransportConnection
    // The OpenSSL objects and the staging buffer are only touched by the thread currently using the connection.
    nonisolated(unsafe) private let ssl: OpaquePointer
    nonisolated(unsafe) private let input: OpaquePointer
    nonisolated(unsafe) private let output: OpaquePointer
    nonisolated(unsafe) private let scratch: UnsafeMutableRawBufferPointer
    private let isClosed = Atomic<Bool>(false)
    /// Set after a fatal TLS error: no `close_notify` may be sent then.
    private let isBroken = Atomic<Bool>(false)
    private let isEstablished = Atomic<Bool>(false)

    /// Creates the OpenSSL connection object for `host`; the handshake is a separate step.
    /// - Parameters:
    ///   - transport: The byte stream to run TLS over; owned from now on.
    ///   - context: The client context.
    ///   - host: The host name or IP literal (no brackets) the certificate must name; also sent as SNI when it
    ///     is a name.
    /// - Throws: ``TLSError`` with code `invalidConfiguration` when OpenSSL refuses the host.
    init(transport: any HTTPTransportConnection, context: TLSContext, host: String) throws(TLSError) {
        ERR_clear_error()
        guard let ssl = SSL_new(context.pointer) else {
            throw TLSError(.invalidConfiguration, OpenSSLErrorQueue.drain(fallback: "SSL_new failed"))
        }
        guard let input = BIO_new(BIO_s_mem()), let output = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw TLSError(.invalidConfiguration, OpenSSLErrorQueue.drain(fallback: "BIO_new failed"))
        }
        SSL_set_bio(ssl, input, output)
        let isAddress = NoProxyRule.ipAddress(host) != nil
        let verifiedName: Bool
        if isAddress {
            verifiedName = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1
        } else {
            SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
            verifiedName = SSL_set1_host(ssl, host) == 1 && lakemark_tls_set_server_name(ssl, host) == 1
        }
        guard verifiedName else {
            SSL_free(ssl)
            throw TLSError(
                .invalidConfiguration,
                "cannot verify host \(host): " + OpenSSLErrorQueue.drain(fallback: "")
            )
        }
        SSL_set_connect_state(ssl)
        self.transport = transport
        self.ssl = ssl
        self.input = input
        self.output = output
        self.scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.scratchSize, alignment: 16)
    }

    deinit {
        self.close()
        SSL_free(self.ssl)
        self.scratch.deallocate()
    }

    /// The negotiated protocol version, for example `TLSv1.3`.
    public var protocolVersion: String {
        String(cString: SSL_get_version(self.ssl))
    }

    /// Runs the handshake to completion.
    /// - Parameters:
    ///   - initialInput: Ciphertext already received (bytes a proxy sent after its answer).
    ///   - deadline: When the handshake must be complete.
    /// - Throws: ``TLSError``: `verificationFailed` (with OpenSSL's reason), `handshakeFailed`, `timeout` or
    ///   `connectionReset`. The connection is closed on failure.
    func handshake(initialInput: [UInt8], deadline: ContinuousClock.Instant) throws(TLSError) {
        do throws(TLSError) {
            if !initialInput.isEmpty {
                initialInput.withUnsafeBytes { self.push($0) }
            }
            while true {
                ERR_clear_error()
                let result = SSL_do_handshake(self.ssl)
                let status = SSL_get_error(self.ssl, result)
                if result != 1 && status != SSL_ERROR_WANT_READ {
                    self.isBroken.store(true, ordering: .releasing)
                    let failure = self.handshakeFailure(status)
                    try? self.flush(timeout: Self.closeNotifyTimeout)
                    throw failure
                }
                try self.flush(timeout: deadline - .now)
                if result == 1 {
                    self.isEstablished.store(true, ordering: .releasing)
                    return
                }
                guard try self.fill(timeout: deadline - .now, context: "handshake") else {
                    throw TLSError(.handshakeFailed, "the server closed the connection during the handshake")
                }
            }
        } catch {
            self.isBroken.store(true, ordering: .releasing)
            self.close()
            throw error
        }
    }

    /// Encrypts and sends `first` then `second` completely.
    /// - Parameters:
    ///   - first: The first bytes (the request head).
    ///   - second: The following bytes (the body); may be empty.
    ///   - timeout: How long each write to the transport may make no progress.
    /// - Throws: ``HTTPClientError`` with `timeout`, `connectionReset` or `ioFailed` (detail: the TLS reason).
    public func write(
        _ first: UnsafeRawBufferPointer,
        _ second: UnsafeRawBufferPointer,
        timeout: Duration
    ) throws(HTTPClientError) {
        do throws(TLSError) {
            try self.checkOpen()
            try self.send(first, timeout: timeout)
            try self.send(second, timeout: timeout)
        } catch {
            throw error.httpClientError
        }
    }

    /// Reads and decrypts at least one byte, or detects the end of the stream.
    /// - Parameters:
    ///   - buffer: The destination.
    ///   - timeout: How long to wait for data.
    /// - Returns: The number of bytes read; 0 when the server closed the TLS session with `close_notify`.
    /// - Throws: ``HTTPClientError`` with `timeout`, `connectionReset` (also for a close without
    ///   `close_notify`, which could be a truncation) or `ioFailed`.
    public func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration) throws(HTTPClientError) -> Int {
        do throws(TLSError) {
            try self.checkOpen()
            return try self.receive(into: buffer, deadline: .now + timeout)
        } catch {
            throw error.httpClientError
        }
    }

    /// Whether the idle connection can carry another request: open, nothing buffered, transport reusable.
    public var isReusable: Bool {
        guard !self.isClosed.load(ordering: .acquiring), !self.isBroken.load(ordering: .acquiring) else {
            return false
        }
        return SSL_pending(self.ssl) == 0 && BIO_ctrl_pending(self.input) == 0 && self.transport.isReusable
    }

    /// Sends `close_notify` (briefly, best effort) when the session is healthy, then closes the transport.
    public func close() {
        guard !self.isClosed.exchange(true, ordering: .acquiringAndReleasing) else {
            return
        }
        if self.isEstablished.load(ordering: .acquiring), !self.isBroken.load(ordering: .acquiring) {
            ERR_clear_error()
            _ = SSL_shutdown(self.ssl)
            try? self.flush(timeout: Self.closeNotifyTimeout)
        }
        self.transport.close()
    }

    // MARK: - Internals

    private func checkOpen() throws(TLSError) {
        guard !self.isClosed.load(ordering: .acquiring) else {
            throw TLSError(.connectionReset, "the connection is closed")
        }
        guard !self.isBroken.load(ordering: .acquiring) else {
            throw TLSError(.protocolError, "the TLS session failed earlier")
        }
    }

    private func send(_ bytes: UnsafeRawBufferPointer, timeout: Duration) throws(TLSError) {
        var offset = 0
        while offset < bytes.count, let base = bytes.baseAddress {
            let count = min(bytes.count - offset, Self.scratchSize)
            ERR_clear_error()
            let written = SSL_write(self.ssl, base + offset, Int32(count))
            guard written > 0 else {
                self.isBroken.store(true, ordering: .releasing)
                throw TLSError(.protocolError, OpenSSLErrorQueue.drain(fallback: "SSL_write failed"))
            }
            offset += Int(written)
            try self.flush(timeout: timeout)
        }
    }

    private func receive(
        into buffer: UnsafeMutableRawBufferPointer,
        deadline: ContinuousClock.Instant
    ) throws(TLSError) -> Int {
        while true {
            ERR_clear_error()
            let result = SSL_read(self.ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max))))
            if result > 0 {
                return Int(result)
            }
            switch SSL_get_error(self.ssl, result) {
            case SSL_ERROR_WANT_READ:
                // TLS 1.3 may have produced a reply (for example to a key update) while reading.
                try self.flush(timeout: deadline - .now)
                guard try self.fill(timeout: deadline - .now, context: "read") else {
                    if lakemark_tls_received_close_notify(self.ssl) != 0 {
                        return 0
                    }
                    throw TLSError(.connectionReset, "the server closed the connection without TLS close_notify")
                }
            case SSL_ERROR_ZERO_RETURN:
                return 0
            default:
                self.isBroken.store(true, ordering: .releasing)
                throw TLSError(.protocolError, OpenSSLErrorQueue.drain(fallback: "SSL_read failed"))
            }
        }
    }

    /// Reads ciphertext from the transport into OpenSSL's input buffer.
    /// - Returns: `false` at the end of the stream.
    private func fill(timeout: Duration, context: String) throws(TLSError) -> Bool {
        guard timeout > .zero else {
            throw TLSError(.timeout, context)
        }
        let count: Int
        do {
            count = try self.transport.read(into: self.scratch, timeout: timeout)
        } catch {
            throw TLSError.transport(error, during: context)
        }
        guard count > 0 else {
            return false
        }
        self.push(UnsafeRawBufferPointer(rebasing: self.scratch[0..<count]))
        return true
    }

    /// Hands received ciphertext to OpenSSL (a memory buffer accepts everything).
    private func push(_ bytes: UnsafeRawBufferPointer) {
        _ = BIO_write(self.input, bytes.baseAddress, Int32(bytes.count))
    }

    /// Writes every byte of ciphertext OpenSSL has produced to the transport.
    private func flush(timeout: Duration) throws(TLSError) {
        while BIO_ctrl_pending(self.output) > 0 {
            let count = BIO_read(self.output, self.scratch.baseAddress, Int32(Self.scratchSize))
            guard count > 0 else {
                return
            }
            do {
                try self.transport.write(
                    UnsafeRawBufferPointer(rebasing: self.scratch[0..<Int(count)]),
                    UnsafeRawBufferPointer(start: nil, count: 0),
                    timeout: timeout
                )
            } catch {
                throw TLSError.transport(error, during: "write")
            }
        }
    }

    private func handshakeFailure(_ status: Int32) -> TLSError {
        let verification = SSL_get_verify_result(self.ssl)
        if verification != X509_V_OK {
            let reason = String(cString: X509_verify_cert_error_string(verification))
            _ = OpenSSLErrorQueue.drain(fallback: "")
            return TLSError(.verificationFailed, reason, verifyResult: verification)
        }
        let fallback =
            status == SSL_ERROR_SYSCALL ? "the connection failed during the handshake" : "SSL error \(status)"
        return TLSError(.handshakeFailed, OpenSSLErrorQueue.drain(fallback: fallback))
    }
}
