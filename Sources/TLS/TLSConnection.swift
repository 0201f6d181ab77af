import COpenSSLTLS
public import HTTPClient
import Synchronization

/// A TLS stream over another ``HTTPTransportConnection`` (a TCP connection, or a proxy tunnel).
///
/// OpenSSL works on two memory buffers here: ciphertext read from the transport is pushed into one, and
/// ciphertext OpenSSL produces is taken from the other and written to the transport. All waiting (and so every
/// timeout) therefore happens in the transport, and the same code serves direct and tunnelled connections.
///
/// HTTP/1.1 uses a connection from one thread at a time (``HTTPClient``'s pool hands it from thread to thread).
/// HTTP/2 reads on one thread while another writes: that is allowed too. The OpenSSL object sits behind a lock
/// held only for work in memory, never while the transport waits; reads never write to the transport, so the
/// writing thread alone sends ciphertext and keeps it in order. A TLS record produced by a read (the answer to
/// a TLS 1.3 KeyUpdate) therefore leaves with the next write, as RFC 8446 §4.6.3 permits. At most one thread
/// reads and one writes at a time; ``close()`` comes after both are done.
public final class TLSConnection: HTTPTransportConnection {
    /// The size of each ciphertext staging buffer, in bytes.
    private static let scratchSize = 65_536
    /// How long closing waits to deliver `close_notify`.
    private static let closeNotifyTimeout = Duration.milliseconds(200)

    private let transport: any HTTPTransportConnection
    /// The OpenSSL connection; its memory buffers are `SSL_get_rbio` (input) and `SSL_get_wbio` (output).
    private let engine: Mutex<Engine>
    // Each staging buffer belongs to one side: the reading thread fills from `readScratch`, the writing thread
    // drains into `writeScratch`.
    nonisolated(unsafe) private let readScratch: UnsafeMutableRawBufferPointer
    nonisolated(unsafe) private let writeScratch: UnsafeMutableRawBufferPointer
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
    ///   - applicationProtocols: The ALPN protocols offered, most preferred first; empty keeps the context's
    ///     (`http/1.1`).
    /// - Throws: ``TLSError`` with code `invalidConfiguration` when OpenSSL refuses the host or a protocol.
    init(
        transport: any HTTPTransportConnection,
        context: TLSContext,
        host: String,
        applicationProtocols: [String] = []
    ) throws(TLSError) {
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
        if !applicationProtocols.isEmpty {
            guard let wire = TLSContext.alpnWireFormat(applicationProtocols),
                // SSL_set_alpn_protos returns 0 on success.
                SSL_set_alpn_protos(ssl, wire, UInt32(wire.count)) == 0
            else {
                SSL_free(ssl)
                throw TLSError(.invalidConfiguration, "cannot offer ALPN protocols \(applicationProtocols)")
            }
        }
        SSL_set_connect_state(ssl)
        self.transport = transport
        self.engine = Mutex(Engine(ssl: ssl))
        self.readScratch = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.scratchSize, alignment: 16)
        self.writeScratch = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.scratchSize, alignment: 16)
    }

    deinit {
        self.close()
        SSL_free(self.engine.withLock { $0.ssl })
        self.readScratch.deallocate()
        self.writeScratch.deallocate()
    }

    /// The negotiated protocol version, for example `TLSv1.3`.
    public var protocolVersion: String {
        self.engine.withLock { String(cString: SSL_get_version($0.ssl)) }
    }

    /// The application protocol the server chose by ALPN (`h2`, `http/1.1`), or `nil` when it chose none.
    public var negotiatedProtocol: String? {
        self.engine.withLock { engine -> String? in
            var data: UnsafePointer<UInt8>?
            var length: UInt32 = 0
            SSL_get0_alpn_selected(engine.ssl, &data, &length)
            guard let data, length > 0 else { return nil }
            return String(decoding: UnsafeBufferPointer(start: data, count: Int(length)), as: UTF8.self)
        }
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
                let (result, failure) = self.engine.withLock { engine -> (Int32, TLSError?) in
                    let ssl = engine.ssl
                    ERR_clear_error()
                    let result = SSL_do_handshake(ssl)
                    let status = SSL_get_error(ssl, result)
                    let failed = result != 1 && status != SSL_ERROR_WANT_READ
                    return (result, failed ? Self.handshakeFailure(ssl, status) : nil)
                }
                if let failure {
                    self.isBroken.store(true, ordering: .releasing)
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
        let isDrained = self.engine.withLock { engine in
            SSL_pending(engine.ssl) == 0 && BIO_ctrl_pending(SSL_get_rbio(engine.ssl)) == 0
        }
        return isDrained && self.transport.isReusable
    }

    /// Sends `close_notify` (briefly, best effort) when the session is healthy, then closes the transport.
    public func close() {
        guard !self.isClosed.exchange(true, ordering: .acquiringAndReleasing) else {
            return
        }
        if self.isEstablished.load(ordering: .acquiring), !self.isBroken.load(ordering: .acquiring) {
            self.engine.withLock { engine in
                ERR_clear_error()
                _ = SSL_shutdown(engine.ssl)
            }
            try? self.flush(timeout: Self.closeNotifyTimeout)
        }
        self.transport.close()
    }

    // MARK: - Internals

    /// The `SSL` object, touched only under ``engine``'s lock.
    private struct Engine: @unchecked Sendable {
        let ssl: OpaquePointer
    }

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
            let written = self.engine.withLock { engine in
                ERR_clear_error()
                return SSL_write(engine.ssl, base + offset, Int32(count))
            }
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
            let (result, status) = self.engine.withLock { engine -> (Int32, Int32) in
                let ssl = engine.ssl
                ERR_clear_error()
                let result = SSL_read(ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max))))
                return (result, result > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl, result))
            }
            if result > 0 {
                return Int(result)
            }
            switch status {
            case SSL_ERROR_WANT_READ:
                // A record this read produced (a KeyUpdate answer) waits in the output buffer for the next write.
                guard try self.fill(timeout: deadline - .now, context: "read") else {
                    if self.engine.withLock({ lakemark_tls_received_close_notify($0.ssl) }) != 0 {
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
            count = try self.transport.read(into: self.readScratch, timeout: timeout)
        } catch {
            throw TLSError.transport(error, during: context)
        }
        guard count > 0 else {
            return false
        }
        self.push(UnsafeRawBufferPointer(rebasing: self.readScratch[0..<count]))
        return true
    }

    /// Hands received ciphertext to OpenSSL (a memory buffer accepts everything).
    private func push(_ bytes: UnsafeRawBufferPointer) {
        self.engine.withLock { engine in
            _ = BIO_write(SSL_get_rbio(engine.ssl), bytes.baseAddress, Int32(bytes.count))
        }
    }

    /// Writes every byte of ciphertext OpenSSL has produced to the transport (the writing side only).
    private func flush(timeout: Duration) throws(TLSError) {
        while true {
            let count = self.engine.withLock { engine in
                BIO_read(SSL_get_wbio(engine.ssl), self.writeScratch.baseAddress, Int32(Self.scratchSize))
            }
            guard count > 0 else {
                return
            }
            do {
                try self.transport.write(
                    UnsafeRawBufferPointer(rebasing: self.writeScratch[0..<Int(count)]),
                    UnsafeRawBufferPointer(start: nil, count: 0),
                    timeout: timeout
                )
            } catch {
                throw TLSError.transport(error, during: "write")
            }
        }
    }

    private static func handshakeFailure(_ ssl: OpaquePointer, _ status: Int32) -> TLSError {
        let verification = SSL_get_verify_result(ssl)
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
