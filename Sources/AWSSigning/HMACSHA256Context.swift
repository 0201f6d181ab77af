import COpenSSL

/// A reusable HMAC-SHA256 computation over caller-owned buffers (`EVP_MAC`).
///
/// One context serves any number of MACs, each with its own key, which is how the signing key chain is
/// computed without setting up libcrypto state per step. Not shareable between threads; each signature uses its own.
struct HMACSHA256Context: ~Copyable {
    /// The size of an HMAC-SHA256 tag in bytes.
    static let tagSize = 32

    private let context: OpaquePointer

    /// Creates a context with SHA-256 as its digest.
    ///
    /// - Throws: ``SigningError/Code/cryptoFailure`` when libcrypto cannot create it.
    init() throws(SigningError) {
        let mac = try LibcryptoAlgorithms.shared.requireHMAC()
        guard let context = EVP_MAC_CTX_new(mac) else {
            throw SigningError(code: .cryptoFailure, message: "EVP_MAC_CTX_new failed")
        }
        guard lakemark_mac_set_sha256(context) == 1 else {
            EVP_MAC_CTX_free(context)
            throw SigningError(code: .cryptoFailure, message: "cannot select SHA256 for HMAC")
        }
        self.context = context
    }

    deinit {
        EVP_MAC_CTX_free(context)
    }

    /// Computes HMAC-SHA256 of `data` under `key` into `tag`.
    ///
    /// - Parameters:
    ///   - key: The key bytes (any length, including zero).
    ///   - data: The message bytes.
    ///   - tag: Where the 32-byte tag goes; it must hold at least ``tagSize`` bytes.
    /// - Returns: `false` when a libcrypto call failed (the tag is then unspecified).
    func authenticate(
        key: UnsafeRawBufferPointer,
        data: UnsafeRawBufferPointer,
        into tag: UnsafeMutableRawBufferPointer
    ) -> Bool {
        precondition(tag.count >= Self.tagSize, "HMAC-SHA256 tag buffer too small")
        // EVP_MAC_init treats a NULL key as "keep the previous key", so an empty key needs a real pointer.
        var emptyKeyByte: UInt8 = 0
        let initialised = withUnsafePointer(to: &emptyKeyByte) { emptyKey in
            let keyBytes = key.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? emptyKey
            return EVP_MAC_init(context, keyBytes, key.count, nil)
        }
        guard initialised == 1 else { return false }
        if data.count > 0 {
            let dataBytes = data.baseAddress!.assumingMemoryBound(to: UInt8.self)
            guard EVP_MAC_update(context, dataBytes, data.count) == 1 else { return false }
        }
        var written = 0
        let tagBytes = tag.baseAddress!.assumingMemoryBound(to: UInt8.self)
        return EVP_MAC_final(context, tagBytes, &written, tag.count) == 1 && written == Self.tagSize
    }

    /// Computes HMAC-SHA256 of `data` under `key` into a new array.
    ///
    /// - Parameters:
    ///   - key: The key bytes.
    ///   - data: The message bytes.
    /// - Returns: The 32-byte tag, or `nil` when a libcrypto call failed.
    func tag(key: [UInt8], data: [UInt8]) -> [UInt8]? {
        var tag = [UInt8](repeating: 0, count: Self.tagSize)
        let computed = key.withUnsafeBytes { keyBytes in
            data.withUnsafeBytes { dataBytes in
                tag.withUnsafeMutableBytes { authenticate(key: keyBytes, data: dataBytes, into: $0) }
            }
        }
        return computed ? tag : nil
    }

    /// The error for a failed ``authenticate(key:data:into:)``.
    static let failure = SigningError(code: .cryptoFailure, message: "HMAC-SHA256 computation failed")
}
