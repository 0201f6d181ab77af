import COpenSSLTLS

/// An OpenSSL client context (`SSL_CTX`): TLS 1.2 or newer, peer verification against one CA file, no
/// compression or renegotiation, ALPN `http/1.1`.
///
/// The context is configured once in `init` and afterwards only used to create connections, which OpenSSL
/// allows from many threads at once.
final class TLSContext: Sendable {
    /// The `SSL_CTX`; never changed after `init`.
    nonisolated(unsafe) let pointer: OpaquePointer

    /// Creates and configures a context.
    /// - Parameter caFilePath: The PEM file of trusted CA certificates.
    /// - Throws: ``TLSError`` with code `invalidConfiguration` when OpenSSL refuses a setting or the CA file
    ///   cannot be loaded.
    init(caFilePath: String) throws(TLSError) {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw TLSError(.invalidConfiguration, OpenSSLErrorQueue.drain(fallback: "SSL_CTX_new failed"))
        }
        guard lakemark_tls_require_tls12(context) == 1 else {
            SSL_CTX_free(context)
            throw TLSError(.invalidConfiguration, OpenSSLErrorQueue.drain(fallback: "cannot require TLS 1.2"))
        }
        guard SSL_CTX_load_verify_file(context, caFilePath) == 1 else {
            SSL_CTX_free(context)
            let detail = OpenSSLErrorQueue.drain(fallback: "no certificate found")
            throw TLSError(.invalidConfiguration, "cannot load CA file \(caFilePath): \(detail)")
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        lakemark_tls_disable_compression_and_renegotiation(context)
        let alpn = Self.alpnWireFormat(["http/1.1"]) ?? []
        // SSL_CTX_set_alpn_protos returns 0 on success.
        guard SSL_CTX_set_alpn_protos(context, alpn, UInt32(alpn.count)) == 0 else {
            SSL_CTX_free(context)
            throw TLSError(.invalidConfiguration, OpenSSLErrorQueue.drain(fallback: "cannot set ALPN"))
        }
        self.pointer = context
    }

    deinit {
        SSL_CTX_free(self.pointer)
    }

    /// ALPN protocol names in the wire format of RFC 7301 §3.1: each name preceded by its length.
    /// - Parameter protocols: The names, most preferred first.
    /// - Returns: The bytes, or `nil` when the list is empty or a name is empty or longer than 255 bytes.
    static func alpnWireFormat(_ protocols: [String]) -> [UInt8]? {
        guard !protocols.isEmpty else { return nil }
        var wire: [UInt8] = []
        for name in protocols {
            let bytes = Array(name.utf8)
            guard (1...255).contains(bytes.count) else { return nil }
            wire.append(UInt8(bytes.count))
            wire += bytes
        }
        return wire
    }
}
