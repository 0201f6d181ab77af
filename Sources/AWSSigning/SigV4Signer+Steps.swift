/// The four steps of https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html.
extension SigV4Signer {
    /// Step 1, "Create a canonical request":
    /// `method \n canonical URI \n canonical query \n canonical headers \n signed headers \n payload hash`.
    ///
    /// See https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (canonical request).
    ///
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - uri: The canonical URI.
    ///   - query: The canonical query string.
    ///   - headers: The canonical headers and signed-header names.
    ///   - payloadHash: The payload hash.
    /// - Returns: The canonical request bytes (no trailing newline).
    static func canonicalRequest(
        method: String,
        uri: [UInt8],
        query: [UInt8],
        headers: CanonicalHeaders,
        payloadHash: String
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(
            method.utf8.count + uri.count + query.count + headers.block.count + headers.signedNames.count + 72
        )
        out.append(contentsOf: method.utf8)
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: uri)
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: query)
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: headers.block)
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: headers.signedNames)
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: payloadHash.utf8)
        return out
    }

    /// Step 2, "Create a hash of the canonical request" and "Create a string to sign":
    /// `AWS4-HMAC-SHA256 \n X-Amz-Date \n credential scope \n hex(SHA-256(canonical request))`.
    ///
    /// See https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (hash of the canonical request,
    /// string to sign).
    ///
    /// - Parameters:
    ///   - amzDate: The signing time as `YYYYMMDD'T'HHMMSS'Z'`.
    ///   - credentialScope: `YYYYMMDD/region/service/aws4_request`.
    ///   - canonicalRequest: The output of step 1.
    /// - Returns: The string to sign (no trailing newline).
    /// - Throws: ``SigningError/Code/cryptoFailure`` when hashing fails.
    static func stringToSign(
        amzDate: String,
        credentialScope: String,
        canonicalRequest: [UInt8]
    ) throws(SigningError) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Crypto.sha256Size)
        let hashed = canonicalRequest.withUnsafeBytes { input in
            digest.withUnsafeMutableBytes { Crypto.sha256(input, into: $0) }
        }
        guard hashed else { throw Crypto.sha256Failure }
        var out: [UInt8] = Array("AWS4-HMAC-SHA256\n".utf8)
        out.reserveCapacity(out.count + amzDate.utf8.count + credentialScope.utf8.count + 66)
        out.append(contentsOf: amzDate.utf8)
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: credentialScope.utf8)
        out.append(UInt8(ascii: "\n"))
        for byte in digest {
            out.append(Crypto.hexDigits[Int(byte >> 4)])
            out.append(Crypto.hexDigits[Int(byte & 0x0F)])
        }
        return out
    }

    /// Step 3, "Derive a signing key":
    /// `kDate = HMAC("AWS4" + secret, date)`, `kRegion = HMAC(kDate, region)`, `kService = HMAC(kRegion, service)`,
    /// `kSigning = HMAC(kService, "aws4_request")`.
    ///
    /// See https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (deriving the signing key).
    ///
    /// - Parameters:
    ///   - secretAccessKey: The secret access key.
    ///   - scopeDate: `YYYYMMDD`.
    ///   - region: The region.
    ///   - service: The service name.
    ///   - context: The HMAC context to compute with.
    /// - Returns: The 32-byte signing key.
    /// - Throws: ``SigningError/Code/cryptoFailure`` when an HMAC fails.
    static func signingKey(
        secretAccessKey: String,
        scopeDate: String,
        region: String,
        service: String,
        context: borrowing HMACSHA256Context
    ) throws(SigningError) -> [UInt8] {
        guard let dateKey = context.tag(key: Array("AWS4\(secretAccessKey)".utf8), data: Array(scopeDate.utf8)),
            let regionKey = context.tag(key: dateKey, data: Array(region.utf8)),
            let serviceKey = context.tag(key: regionKey, data: Array(service.utf8)),
            let signingKey = context.tag(key: serviceKey, data: Array("aws4_request".utf8))
        else { throw HMACSHA256Context.failure }
        return signingKey
    }

    /// Step 4, "Calculate the signature": `hex(HMAC(kSigning, string to sign))`.
    ///
    /// See https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (calculating the signature).
    ///
    /// - Parameters:
    ///   - stringToSign: The output of step 2.
    ///   - signingKey: The output of step 3.
    ///   - context: The HMAC context to compute with.
    /// - Returns: The signature as 64 lower-case hex digits.
    /// - Throws: ``SigningError/Code/cryptoFailure`` when the HMAC fails.
    static func signature(
        stringToSign: [UInt8],
        signingKey: [UInt8],
        context: borrowing HMACSHA256Context
    ) throws(SigningError) -> String {
        guard let tag = context.tag(key: signingKey, data: stringToSign) else { throw HMACSHA256Context.failure }
        return Crypto.hex(tag)
    }

    /// Runs steps 3 and 4.
    ///
    /// - Parameters:
    ///   - stringToSign: The output of step 2.
    ///   - time: The signing time.
    /// - Returns: The signature as 64 lower-case hex digits.
    /// - Throws: ``SigningError/Code/cryptoFailure`` when libcrypto fails.
    func signature(stringToSign: [UInt8], time: SigningTime) throws(SigningError) -> String {
        let context = try HMACSHA256Context()
        let key = try Self.signingKey(
            secretAccessKey: credentials.secretAccessKey,
            scopeDate: time.scopeDate,
            region: region,
            service: service,
            context: context
        )
        return try Self.signature(stringToSign: stringToSign, signingKey: key, context: context)
    }
}
