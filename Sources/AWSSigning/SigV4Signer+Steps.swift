/// The four steps of https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html.
extension SigV4Signer {
    /// Step 1, "Create a canonical request":
    /// `method \n canonical URI \n canonical query \n canonical headers \n signed headers \n payload hash`.
    ///
    /// See https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request.
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
    /// See https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-string-to-sign.
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

    /// Steps 3 and 4, "Derive a signing key" and "Calculate the signature":
    /// `kDate = HMAC("AWS4" + secret, date)`, `kRegion = HMAC(kDate, region)`, `kService = HMAC(kRegion, service)`,
    /// `kSigning = HMAC(kService, "aws4_request")`, signature = `hex(HMAC(kSigning, string to sign))`.
    ///
    /// See https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#derive-signing-key and
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#calculate-signature.
    ///
    /// - Parameters:
    ///   - stringToSign: The output of step 2.
    ///   - secretAccessKey: The secret access key.
    ///   - scopeDate: `YYYYMMDD`.
    ///   - region: The region.
    ///   - service: The service name.
    /// - Returns: The signature as 64 lower-case hex digits.
    /// - Throws: ``SigningError/Code/cryptoFailure`` when an HMAC fails.
    static func signature(
        stringToSign: [UInt8],
        secretAccessKey: String,
        scopeDate: String,
        region: String,
        service: String
    ) throws(SigningError) -> String {
        let context = try HMACSHA256Context()
        func authenticate(_ key: [UInt8], _ data: [UInt8]) -> [UInt8]? {
            var tag = [UInt8](repeating: 0, count: HMACSHA256Context.tagSize)
            let computed = key.withUnsafeBytes { keyBytes in
                data.withUnsafeBytes { dataBytes in
                    tag.withUnsafeMutableBytes { context.authenticate(key: keyBytes, data: dataBytes, into: $0) }
                }
            }
            return computed ? tag : nil
        }
        guard let dateKey = authenticate(Array("AWS4\(secretAccessKey)".utf8), Array(scopeDate.utf8)),
            let regionKey = authenticate(dateKey, Array(region.utf8)),
            let serviceKey = authenticate(regionKey, Array(service.utf8)),
            let signingKey = authenticate(serviceKey, Array("aws4_request".utf8)),
            let signature = authenticate(signingKey, stringToSign)
        else { throw HMACSHA256Context.failure }
        return Crypto.hex(signature)
    }
}
