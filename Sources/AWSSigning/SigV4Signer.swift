import Foundation

/// Signs requests with AWS Signature Version 4 (`AWS4-HMAC-SHA256`), without doing any I/O.
///
/// The signer works on a description of the request (``SigV4Request``) and returns what to add to it: headers for
/// ``sign(_:at:)``, query parameters for ``presign(_:at:expiresIn:)``. The signing time is a parameter, so tests can
/// pin it, and every retry can (and must) be signed again with a fresh time.
///
/// ```swift
/// let signer = SigV4Signer(service: "s3", region: "eu-west-1", credentials: credentials, options: .s3)
/// let path = "/" + S3PathEncoder.encode(key: "logs/2026/a b.json.gz")
/// let request = SigV4Request(method: "PUT", path: path, headers: [("Host", host)],
///                            payloadHash: Crypto.hex(try Crypto.sha256(body)))
/// let signature = try signer.sign(request, at: Date())
/// // send request.headers + signature.headers
/// ```
///
/// The steps follow https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html.
public struct SigV4Signer: Sendable {
    /// How the canonical URI is formed from ``SigV4Request/path``.
    public enum PathMode: Sendable, Hashable {
        /// Amazon S3: the canonical URI is the wire path exactly as given (already percent-encoded once), with no
        /// normalisation of `.`, `..` or `//` and no second encoding.
        case s3
        /// Every other service: the path is normalised when `normalize` is `true` (dot segments and empty segments
        /// removed) and then percent-encoded once more, keeping `/`.
        case generic(normalize: Bool)
    }

    /// Choices that differ between services.
    public struct Options: Sendable, Hashable {
        /// How the canonical URI is formed. Default: ``PathMode/generic(normalize:)`` with normalisation.
        public var pathMode: PathMode
        /// Whether ``SigV4Signer/sign(_:at:)`` adds and signs `X-Amz-Content-Sha256` with the payload hash.
        /// Default `false`; S3 requires `true`. Presigned URLs never carry it.
        public var addsContentSHA256Header: Bool
        /// Whether the session token is part of the signature. Default `true`; `false` adds
        /// `X-Amz-Security-Token` only after signing, for the few services that expect that.
        public var signsSessionToken: Bool

        /// Creates options.
        ///
        /// - Parameters:
        ///   - pathMode: The canonical URI rule (default generic with normalisation).
        ///   - addsContentSHA256Header: Whether to add `X-Amz-Content-Sha256` (default `false`).
        ///   - signsSessionToken: Whether the session token is signed (default `true`).
        public init(
            pathMode: PathMode = .generic(normalize: true),
            addsContentSHA256Header: Bool = false,
            signsSessionToken: Bool = true
        ) {
            self.pathMode = pathMode
            self.addsContentSHA256Header = addsContentSHA256Header
            self.signsSessionToken = signsSessionToken
        }

        /// The options for Amazon S3 and S3-compatible stores: wire path as is, `X-Amz-Content-Sha256` added.
        public static let s3 = Options(pathMode: .s3, addsContentSHA256Header: true)
    }

    /// The signing name of the service, for example `s3` or `secretsmanager`.
    public let service: String
    /// The region of the endpoint, for example `us-east-1`.
    public let region: String
    /// The credentials to sign with.
    public let credentials: AWSCredentials
    /// Service-specific choices.
    public let options: Options

    /// Creates a signer.
    ///
    /// - Parameters:
    ///   - service: The signing name of the service.
    ///   - region: The region.
    ///   - credentials: The credentials.
    ///   - options: Service-specific choices (default: generic service rules).
    public init(service: String, region: String, credentials: AWSCredentials, options: Options = Options()) {
        self.service = service
        self.region = region
        self.credentials = credentials
        self.options = options
    }

    /// The longest validity of a presigned URL, in seconds (7 days).
    public static let maximumPresignedExpiry = 604_800

    /// Signs a request in the `Authorization` header.
    ///
    /// - Parameters:
    ///   - request: The request as it will be sent.
    ///   - date: The signing time (use the current time, corrected for clock skew).
    /// - Returns: The headers to add, the signature and the intermediate values.
    /// - Throws: ``SigningError`` with code ``SigningError/Code/invalidRequest``,
    ///   ``SigningError/Code/invalidConfiguration``, ``SigningError/Code/expiredCredentials`` or
    ///   ``SigningError/Code/cryptoFailure``.
    public func sign(_ request: SigV4Request, at date: Date) throws(SigningError) -> SigV4Signature {
        let time = try prepare(request, at: date)
        let token = credentials.sessionToken
        var reserved = ["authorization", "x-amz-date"]
        var generated = [(name: "x-amz-date", value: time.amzDate)]
        if options.addsContentSHA256Header {
            reserved.append("x-amz-content-sha256")
            generated.append((name: "x-amz-content-sha256", value: request.payloadHash))
        }
        if let token {
            reserved.append("x-amz-security-token")
            if options.signsSessionToken { generated.append((name: "x-amz-security-token", value: token)) }
        }
        let headers = try CanonicalHeaders(
            headers: request.headers,
            markedNames: request.signedHeaderNames,
            reservedNames: reserved,
            generated: generated
        )
        let scope = credentialScope(time)
        let canonicalRequest = Self.canonicalRequest(
            method: request.method,
            uri: try canonicalURI(request.path),
            query: CanonicalQuery.encode(request.queryItems),
            headers: headers,
            payloadHash: request.payloadHash
        )
        let stringToSign = try Self.stringToSign(
            amzDate: time.amzDate,
            credentialScope: scope,
            canonicalRequest: canonicalRequest
        )
        let signature = try signature(stringToSign: stringToSign, time: time)
        let signedHeaders = String(decoding: headers.signedNames, as: UTF8.self)
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        var added = [(name: "X-Amz-Date", value: time.amzDate)]
        if options.addsContentSHA256Header { added.append((name: "X-Amz-Content-Sha256", value: request.payloadHash)) }
        if let token { added.append((name: "X-Amz-Security-Token", value: token)) }
        added.append((name: "Authorization", value: authorization))
        return SigV4Signature(
            headers: added,
            authorization: authorization,
            signature: signature,
            signedHeaders: signedHeaders,
            amzDate: time.amzDate,
            credentialScope: scope,
            canonicalRequest: String(decoding: canonicalRequest, as: UTF8.self),
            stringToSign: String(decoding: stringToSign, as: UTF8.self)
        )
    }

    /// Signs a request in its query string (a presigned URL).
    ///
    /// The payload hash is taken from the request as given; S3 presigned URLs use ``SigV4Request/unsignedPayload``.
    /// `X-Amz-Content-Sha256` is never added, whatever ``Options/addsContentSHA256Header`` says.
    ///
    /// - Parameters:
    ///   - request: The request; its query must not already hold `X-Amz-*` authentication parameters.
    ///   - date: The signing time.
    ///   - expiresIn: How long the URL stays valid, 1 to ``maximumPresignedExpiry`` seconds.
    /// - Returns: The query to send and the intermediate values.
    /// - Throws: ``SigningError`` with code ``SigningError/Code/invalidRequest``,
    ///   ``SigningError/Code/invalidConfiguration``, ``SigningError/Code/expiredCredentials`` or
    ///   ``SigningError/Code/cryptoFailure``.
    public func presign(
        _ request: SigV4Request,
        at date: Date,
        expiresIn: Int
    ) throws(SigningError) -> SigV4PresignedQuery {
        guard (1...Self.maximumPresignedExpiry).contains(expiresIn) else {
            throw SigningError(code: .invalidRequest, message: "the expiry must be 1 to 604800 seconds")
        }
        let time = try prepare(request, at: date)
        for item in request.queryItems where Self.presignParameters.contains(CanonicalHeaders.lowercased(item.name)) {
            throw SigningError(code: .invalidRequest, message: "query parameter \(item.name) is set by the signer")
        }
        var reserved = ["authorization", "x-amz-date"]
        if credentials.sessionToken != nil { reserved.append("x-amz-security-token") }
        let headers = try CanonicalHeaders(
            headers: request.headers,
            markedNames: request.signedHeaderNames,
            reservedNames: reserved,
            generated: []
        )
        let scope = credentialScope(time)
        let signedHeaders = String(decoding: headers.signedNames, as: UTF8.self)
        var authItems = [
            (name: "X-Amz-Algorithm", value: "AWS4-HMAC-SHA256"),
            (name: "X-Amz-Credential", value: "\(credentials.accessKeyID)/\(scope)"),
            (name: "X-Amz-Date", value: time.amzDate),
            (name: "X-Amz-Expires", value: String(expiresIn)),
            (name: "X-Amz-SignedHeaders", value: signedHeaders),
        ]
        var unsignedItems: [(name: String, value: String)] = []
        if let token = credentials.sessionToken {
            if options.signsSessionToken {
                authItems.append((name: "X-Amz-Security-Token", value: token))
            } else {
                unsignedItems.append((name: "X-Amz-Security-Token", value: token))
            }
        }
        let canonicalQuery = CanonicalQuery.encode(request.queryItems + authItems)
        let canonicalRequest = Self.canonicalRequest(
            method: request.method,
            uri: try canonicalURI(request.path),
            query: canonicalQuery,
            headers: headers,
            payloadHash: request.payloadHash
        )
        let stringToSign = try Self.stringToSign(
            amzDate: time.amzDate,
            credentialScope: scope,
            canonicalRequest: canonicalRequest
        )
        let signature = try signature(stringToSign: stringToSign, time: time)
        unsignedItems.append((name: "X-Amz-Signature", value: signature))
        var encodedQuery = canonicalQuery
        for pair in CanonicalQuery.pairs(unsignedItems) {
            if !encodedQuery.isEmpty { encodedQuery.append(UInt8(ascii: "&")) }
            encodedQuery.append(contentsOf: pair.name)
            encodedQuery.append(UInt8(ascii: "="))
            encodedQuery.append(contentsOf: pair.value)
        }
        return SigV4PresignedQuery(
            queryItems: request.queryItems + authItems + unsignedItems,
            encodedQuery: String(decoding: encodedQuery, as: UTF8.self),
            signature: signature,
            signedHeaders: signedHeaders,
            amzDate: time.amzDate,
            credentialScope: scope,
            canonicalRequest: String(decoding: canonicalRequest, as: UTF8.self),
            stringToSign: String(decoding: stringToSign, as: UTF8.self)
        )
    }

    /// Lower-case names of the query parameters a presigned URL adds.
    static let presignParameters: Set<String> = [
        "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-expires", "x-amz-signedheaders",
        "x-amz-security-token", "x-amz-signature",
    ]

    /// Checks the configuration, the credentials, the method and the payload hash, and renders the time.
    private func prepare(_ request: SigV4Request, at date: Date) throws(SigningError) -> SigningTime {
        guard Self.isScopeElement(region) else {
            throw SigningError(code: .invalidConfiguration, message: "the region is empty or malformed")
        }
        guard Self.isScopeElement(service) else {
            throw SigningError(code: .invalidConfiguration, message: "the service name is empty or malformed")
        }
        guard Self.isScopeElement(credentials.accessKeyID), !credentials.accessKeyID.utf8.contains(0x2C) else {
            throw SigningError(code: .invalidConfiguration, message: "the access key ID is empty or malformed")
        }
        guard !credentials.secretAccessKey.isEmpty else {
            throw SigningError(code: .invalidConfiguration, message: "the secret access key is empty")
        }
        guard !credentials.isExpired(at: date) else {
            throw SigningError(code: .expiredCredentials, message: "the credentials expired before the signing time")
        }
        guard CanonicalHeaders.isToken(request.method) else {
            throw SigningError(code: .invalidRequest, message: "malformed HTTP method")
        }
        guard Self.isPayloadHash(request.payloadHash) else {
            throw SigningError(
                code: .invalidRequest,
                message: "the payload hash must be lower-case hex SHA-256 or an upper-case token"
            )
        }
        return try SigningTime(date)
    }

    /// The canonical URI under the configured path mode.
    private func canonicalURI(_ path: String) throws(SigningError) -> [UInt8] {
        switch options.pathMode {
        case .s3:
            return try CanonicalPath.s3(path)
        case .generic(let normalize):
            return try CanonicalPath.generic(path, normalize: normalize)
        }
    }

    /// `YYYYMMDD/region/service/aws4_request`.
    private func credentialScope(_ time: SigningTime) -> String {
        "\(time.scopeDate)/\(region)/\(service)/aws4_request"
    }

    /// Whether `text` can be one element of the credential scope: printable ASCII without `/` or spaces.
    private static func isScopeElement(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }
    }

    /// Whether `hash` is 64 lower-case hex digits, or a token of upper-case letters, digits and `-` that contains
    /// a `-` (such as `UNSIGNED-PAYLOAD`; upper-case hex is rejected because S3 compares the hash as lower case).
    private static func isPayloadHash(_ hash: String) -> Bool {
        let bytes = hash.utf8
        let isLowerHex = { (byte: UInt8) in
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f"))
        }
        if bytes.count == 64, bytes.allSatisfy(isLowerHex) { return true }
        return bytes.contains(UInt8(ascii: "-"))
            && bytes.allSatisfy { byte in
                (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
            }
    }
}
