import COpenSSL

/// Digests, MACs and encodings from libcrypto (OpenSSL 3 `EVP_*`), as SigV4 and S3 need them.
///
/// Every function is safe to call from many threads at once: each call uses its own libcrypto context and
/// caller-owned output buffers (never the static buffer of a one-shot `HMAC()` call with a `NULL` output).
public enum Crypto {
    /// The size of a SHA-256 digest in bytes.
    public static let sha256Size = 32

    /// Computes the SHA-256 digest of `bytes`.
    ///
    /// - Parameter bytes: The input.
    /// - Returns: The 32-byte digest.
    /// - Throws: ``SigningError/Code/cryptoFailure`` when libcrypto fails.
    public static func sha256(_ bytes: UnsafeRawBufferPointer) throws(SigningError) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: sha256Size)
        guard digest.withUnsafeMutableBytes({ sha256(bytes, into: $0) }) else { throw sha256Failure }
        return digest
    }

    /// Computes the SHA-256 digest of `bytes`.
    ///
    /// - Parameter bytes: The input.
    /// - Returns: The 32-byte digest.
    /// - Throws: ``SigningError/Code/cryptoFailure`` when libcrypto fails.
    public static func sha256(_ bytes: [UInt8]) throws(SigningError) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: sha256Size)
        let digested = bytes.withUnsafeBytes { input in digest.withUnsafeMutableBytes { sha256(input, into: $0) } }
        guard digested else { throw sha256Failure }
        return digest
    }

    /// Computes HMAC-SHA256 of `data` under `key`.
    ///
    /// - Parameters:
    ///   - key: The key (any length).
    ///   - data: The message.
    /// - Returns: The 32-byte tag.
    /// - Throws: ``SigningError/Code/cryptoFailure`` when libcrypto fails.
    public static func hmacSHA256(key: [UInt8], data: [UInt8]) throws(SigningError) -> [UInt8] {
        let context = try HMACSHA256Context()
        guard let tag = context.tag(key: key, data: data) else { throw HMACSHA256Context.failure }
        return tag
    }

    /// Computes the base64 of the MD5 digest of `bytes`, the value of a `Content-MD5` header.
    ///
    /// - Parameter bytes: The body.
    /// - Returns: 24 base64 characters, for example `1B2M2Y8AsgTpgAmY7PhCfg==` for an empty body.
    /// - Throws: ``SigningError/Code/cryptoFailure`` when libcrypto fails or does not provide MD5 (FIPS mode).
    public static func md5Base64(_ bytes: UnsafeRawBufferPointer) throws(SigningError) -> String {
        try md5Base64(bytes.baseAddress, count: bytes.count)
    }

    /// Computes the base64 of the MD5 digest of `bytes`, the value of a `Content-MD5` header.
    ///
    /// - Parameter bytes: The body.
    /// - Returns: 24 base64 characters.
    /// - Throws: ``SigningError/Code/cryptoFailure`` when libcrypto fails or does not provide MD5 (FIPS mode).
    public static func md5Base64(_ bytes: [UInt8]) throws(SigningError) -> String {
        let result = bytes.withUnsafeBytes { input in
            Result { () throws(SigningError) in try md5Base64(input.baseAddress, count: input.count) }
        }
        return try result.get()
    }

    private static func md5Base64(_ start: UnsafeRawPointer?, count: Int) throws(SigningError) -> String {
        let md5 = try LibcryptoAlgorithms.shared.requireMD5()
        var digest = [UInt8](repeating: 0, count: 16)
        var size: UInt32 = 0
        let digested = digest.withUnsafeMutableBufferPointer { out in
            EVP_Digest(start, count, out.baseAddress, &size, md5, nil)
        }
        guard digested == 1, size == 16 else {
            throw SigningError(code: .cryptoFailure, message: "EVP_Digest(MD5) failed")
        }
        // EVP_EncodeBlock writes 4 characters per 3 input bytes plus a terminating NUL, and no line breaks.
        var encoded = [UInt8](repeating: 0, count: 25)
        let length = encoded.withUnsafeMutableBufferPointer { out in
            digest.withUnsafeBufferPointer { input in EVP_EncodeBlock(out.baseAddress, input.baseAddress, 16) }
        }
        guard length == 24 else {
            throw SigningError(code: .cryptoFailure, message: "EVP_EncodeBlock failed")
        }
        return String(decoding: encoded[0..<24], as: UTF8.self)
    }

    /// Formats bytes as lower-case hexadecimal, two characters per byte.
    ///
    /// - Parameter bytes: The bytes, typically a digest.
    /// - Returns: The hex string (`""` for no bytes).
    public static func hex(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { hex($0) }
    }

    /// Formats bytes as lower-case hexadecimal, two characters per byte.
    ///
    /// - Parameter bytes: The bytes, typically a digest.
    /// - Returns: The hex string (`""` for no bytes).
    public static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            var index = 0
            for byte in bytes {
                out[index] = hexDigits[Int(byte >> 4)]
                out[index + 1] = hexDigits[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }

    /// Compares two byte strings in time that depends only on their lengths (`CRYPTO_memcmp`).
    ///
    /// Use it to compare a received signature or digest with the expected one.
    ///
    /// - Parameters:
    ///   - lhs: One byte string.
    ///   - rhs: The other.
    /// - Returns: `true` when both have the same length and the same bytes.
    public static func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        guard !lhs.isEmpty else { return true }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0 }
        }
    }

    /// Computes SHA-256 into a caller buffer of at least ``sha256Size`` bytes.
    ///
    /// - Parameters:
    ///   - bytes: The input.
    ///   - out: The output buffer.
    /// - Returns: `false` when libcrypto failed or does not provide SHA-256.
    static func sha256(_ bytes: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Bool {
        precondition(out.count >= sha256Size, "SHA-256 output buffer too small")
        guard let sha256 = LibcryptoAlgorithms.shared.sha256 else { return false }
        var size: UInt32 = 0
        let digested = EVP_Digest(
            bytes.baseAddress,
            bytes.count,
            out.baseAddress!.assumingMemoryBound(to: UInt8.self),
            &size,
            sha256,
            nil
        )
        return digested == 1 && size == UInt32(sha256Size)
    }

    /// The error for a failed SHA-256 computation.
    static let sha256Failure = SigningError(code: .cryptoFailure, message: "SHA-256 computation failed")

    /// Lower-case hexadecimal digits as ASCII bytes.
    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}
