import COpenSSLTLS
import Synchronization

/// The server side of TLS for an ``HTTPServer``: a certificate chain and private key loaded into an OpenSSL
/// context (TLS 1.2 or newer, no compression or renegotiation, ALPN-free HTTP/1.1).
///
/// ``reload()`` reads the files again and swaps the context atomically: connections accepted afterwards use the
/// new certificate, connections already open keep the one they were accepted with, and a file that cannot be
/// loaded leaves the previous context in force.
///
/// ```swift
/// let tls = try HTTPServerTLS(certificateChainFile: "/etc/lakemark/tls.crt", privateKeyFile: "/etc/lakemark/tls.key")
/// let server = HTTPServer(configuration: .init(port: 8443), handler: handler, tls: tls)
/// ```
public final class HTTPServerTLS: Sendable {
    /// The PEM file with the server certificate first, then any intermediate certificates.
    public let certificateChainFile: String
    /// The PEM file with the private key matching the certificate.
    public let privateKeyFile: String
    private let current: Mutex<ServerTLSContext>

    /// Loads the certificate chain and key.
    /// - Parameters:
    ///   - certificateChainFile: The PEM certificate chain (leaf first).
    ///   - privateKeyFile: The PEM private key.
    /// - Throws: ``HTTPServerError`` with code ``HTTPServerError/Code/tlsConfigurationFailed``.
    public init(certificateChainFile: String, privateKeyFile: String) throws(HTTPServerError) {
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
        let context = try ServerTLSContext(certificateChainFile: certificateChainFile, privateKeyFile: privateKeyFile)
        self.current = Mutex(context)
    }

    /// Loads the files again and, when they are valid, uses them for every connection accepted from now on.
    /// - Throws: ``HTTPServerError`` with code ``HTTPServerError/Code/tlsConfigurationFailed``; the previous
    ///   certificate then stays in force.
    public func reload() throws(HTTPServerError) {
        var context = try ServerTLSContext(
            certificateChainFile: self.certificateChainFile,
            privateKeyFile: self.privateKeyFile
        )
        // After the swap `context` holds the previous one, released outside the lock; OpenSSL frees it once the
        // last session created from it ends.
        self.current.withLock { swap(&$0, &context) }
    }

    /// The SHA-256 fingerprint of the certificate in force, as lowercase hex without separators.
    public var certificateFingerprint: String {
        self.current.withLock { $0 }.fingerprint
    }

    /// Creates the session for a newly accepted connection, in server (accept) mode.
    /// - Parameter fd: The connected, non-blocking socket.
    /// - Returns: The session, or `nil` when OpenSSL cannot allocate one.
    func makeSession(fd: Int32) -> TLSSession? {
        let context = self.current.withLock { $0 }
        return TLSSession(context: context.pointer, fd: fd)
    }
}

/// One loaded `SSL_CTX`; it is configured in `init` and never changed, so many threads may create sessions.
final class ServerTLSContext: Sendable {
    /// The `SSL_CTX`.
    nonisolated(unsafe) let pointer: OpaquePointer
    /// The SHA-256 fingerprint of the leaf certificate, lowercase hex.
    let fingerprint: String
    /// The TLS 1.2 suites offered: ECDHE key exchange with AES-GCM or ChaCha20-Poly1305 (RSA or ECDSA keys).
    static let tls12Ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL"

    /// Creates a context from PEM files.
    /// - Parameters:
    ///   - certificateChainFile: The certificate chain, leaf first.
    ///   - privateKeyFile: The private key.
    /// - Throws: ``HTTPServerError`` with code ``HTTPServerError/Code/tlsConfigurationFailed``.
    init(certificateChainFile: String, privateKeyFile: String) throws(HTTPServerError) {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_server_method()) else {
            throw Self.failure("SSL_CTX_new failed")
        }
        guard lakemark_tls_require_tls12(context) == 1 else {
            SSL_CTX_free(context)
            throw Self.failure("cannot require TLS 1.2")
        }
        lakemark_tls_server_options(context)
        // TLS 1.2: forward-secret AEAD suites only (no static-RSA key exchange, no CBC with SHA-1); TLS 1.3 keeps
        // OpenSSL's suites, which all are.
        guard SSL_CTX_set_cipher_list(context, Self.tls12Ciphers) == 1 else {
            SSL_CTX_free(context)
            throw Self.failure("cannot set the TLS 1.2 cipher list")
        }
        guard SSL_CTX_use_certificate_chain_file(context, certificateChainFile) == 1 else {
            SSL_CTX_free(context)
            throw Self.failure("cannot load certificate chain \(certificateChainFile)")
        }
        guard SSL_CTX_use_PrivateKey_file(context, privateKeyFile, SSL_FILETYPE_PEM) == 1 else {
            SSL_CTX_free(context)
            throw Self.failure("cannot load private key \(privateKeyFile)")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            SSL_CTX_free(context)
            throw Self.failure("the private key does not match the certificate")
        }
        self.pointer = context
        self.fingerprint = Self.leafFingerprint(context)
    }

    deinit {
        SSL_CTX_free(self.pointer)
    }

    private static func leafFingerprint(_ context: OpaquePointer) -> String {
        guard let certificate = SSL_CTX_get0_certificate(context) else {
            return ""
        }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard X509_digest(certificate, EVP_sha256(), &digest, &length) == 1 else {
            return ""
        }
        let hex = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in digest.prefix(Int(length)) {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    private static func failure(_ context: String) -> HTTPServerError {
        HTTPServerError(.tlsConfigurationFailed, detail: "\(context): \(TLSSession.drainErrors())")
    }
}
