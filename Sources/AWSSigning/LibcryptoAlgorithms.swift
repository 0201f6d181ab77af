import COpenSSL

/// The libcrypto algorithm implementations this module uses, fetched once from the default library context.
///
/// Fetching is the expensive part of an OpenSSL 3 digest or MAC call, so it happens here once per process.
/// OpenSSL documents fetched `EVP_MD` and `EVP_MAC` objects as immutable and safe to use from many threads at
/// once (https://docs.openssl.org/3.0/man7/crypto/#fetching-algorithms), which is why the pointers are shared.
/// They are kept for the life of the process and never freed.
struct LibcryptoAlgorithms: @unchecked Sendable {
    /// The process-wide instance; its properties are `nil` when the provider lacks the algorithm.
    static let shared = LibcryptoAlgorithms()

    /// `EVP_MD` for SHA-256.
    let sha256: OpaquePointer?
    /// `EVP_MD` for MD5 (absent under a FIPS-only provider configuration).
    let md5: OpaquePointer?
    /// `EVP_MAC` for HMAC.
    let hmac: OpaquePointer?

    private init() {
        sha256 = EVP_MD_fetch(nil, "SHA256", nil)
        md5 = EVP_MD_fetch(nil, "MD5", nil)
        hmac = EVP_MAC_fetch(nil, "HMAC", nil)
    }

    /// The SHA-256 digest.
    ///
    /// - Returns: The fetched `EVP_MD`.
    /// - Throws: ``SigningError/Code/cryptoFailure`` when libcrypto could not provide it.
    func requireSHA256() throws(SigningError) -> OpaquePointer {
        guard let sha256 else { throw Self.missing("SHA256") }
        return sha256
    }

    /// The MD5 digest.
    ///
    /// - Returns: The fetched `EVP_MD`.
    /// - Throws: ``SigningError/Code/cryptoFailure`` when libcrypto could not provide it.
    func requireMD5() throws(SigningError) -> OpaquePointer {
        guard let md5 else { throw Self.missing("MD5") }
        return md5
    }

    /// The HMAC algorithm.
    ///
    /// - Returns: The fetched `EVP_MAC`.
    /// - Throws: ``SigningError/Code/cryptoFailure`` when libcrypto could not provide it.
    func requireHMAC() throws(SigningError) -> OpaquePointer {
        guard let hmac else { throw Self.missing("HMAC") }
        return hmac
    }

    private static func missing(_ name: String) -> SigningError {
        SigningError(code: .cryptoFailure, message: "libcrypto does not provide \(name)")
    }
}
