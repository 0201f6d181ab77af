import COpenSSL

/// An incremental SHA-256 computation (`EVP_DigestUpdate`), for bodies too large to hold in one buffer.
///
/// ```swift
/// var hasher = try SHA256Hasher()
/// try hasher.update(chunk1)
/// try hasher.update(chunk2)
/// let payloadHash = Crypto.hex(try hasher.finalize())
/// ```
public struct SHA256Hasher: ~Copyable {
    private let context: OpaquePointer

    /// Starts a new digest.
    ///
    /// - Throws: ``SigningError/Code/cryptoFailure`` when libcrypto cannot set up the digest.
    public init() throws(SigningError) {
        let sha256 = try LibcryptoAlgorithms.shared.requireSHA256()
        guard let context = EVP_MD_CTX_new() else {
            throw SigningError(code: .cryptoFailure, message: "EVP_MD_CTX_new failed")
        }
        guard EVP_DigestInit_ex2(context, sha256, nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw SigningError(code: .cryptoFailure, message: "EVP_DigestInit_ex2(SHA256) failed")
        }
        self.context = context
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    /// Adds bytes to the digest.
    ///
    /// - Parameter bytes: The next part of the input.
    /// - Throws: ``SigningError/Code/cryptoFailure`` when libcrypto fails.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) throws(SigningError) {
        guard bytes.count > 0 else { return }
        guard EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1 else {
            throw SigningError(code: .cryptoFailure, message: "EVP_DigestUpdate failed")
        }
    }

    /// Adds bytes to the digest.
    ///
    /// - Parameter bytes: The next part of the input.
    /// - Throws: ``SigningError/Code/cryptoFailure`` when libcrypto fails.
    public mutating func update(_ bytes: [UInt8]) throws(SigningError) {
        let updated = bytes.withUnsafeBytes { input in
            input.isEmpty || EVP_DigestUpdate(context, input.baseAddress, input.count) == 1
        }
        guard updated else { throw SigningError(code: .cryptoFailure, message: "EVP_DigestUpdate failed") }
    }

    /// Finishes the digest; the hasher cannot be used afterwards.
    ///
    /// - Returns: The 32-byte digest of everything passed to ``update(_:)-([UInt8])``.
    /// - Throws: ``SigningError/Code/cryptoFailure`` when libcrypto fails.
    public consuming func finalize() throws(SigningError) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Crypto.sha256Size)
        var size: UInt32 = 0
        let finished = digest.withUnsafeMutableBufferPointer { out in
            EVP_DigestFinal_ex(context, out.baseAddress, &size)
        }
        guard finished == 1, size == UInt32(Crypto.sha256Size) else {
            throw SigningError(code: .cryptoFailure, message: "EVP_DigestFinal_ex failed")
        }
        return digest
    }
}
