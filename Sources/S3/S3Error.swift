/// A failed S3 request: an error answered by S3 (its `Code`, HTTP status and request id) or a client-side
/// failure (connection, timeout, signing, credentials, the put budget).
///
/// ``message`` never contains credentials, signatures, canonical requests or strings to sign, so it can be logged
/// and returned to Firehose.
public struct S3Error: Error, Sendable, CustomStringConvertible {
    /// The error code. S3's own codes keep S3's spelling (`SlowDown`); client-side codes are lower camel case
    /// (`timedOut`). The static members are the catalogue; ``Code/rawValue`` is stable.
    public struct Code: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
        /// The code name.
        public let rawValue: String

        /// Creates a code from its name (any S3 code may appear, not only the catalogued ones).
        /// - Parameter rawValue: The code name.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The code name.
        public var description: String { self.rawValue }

        // S3 codes (https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html).

        /// 503: reduce the request rate.
        public static let slowDown = Code(rawValue: "SlowDown")
        /// 500: an internal error; retry.
        public static let internalError = Code(rawValue: "InternalError")
        /// 503: the service is unavailable; retry.
        public static let serviceUnavailable = Code(rawValue: "ServiceUnavailable")
        /// 400: the socket was idle too long while S3 read the body; retry.
        public static let requestTimeout = Code(rawValue: "RequestTimeout")
        /// 403: the request time differs from S3's clock by more than 15 minutes.
        public static let requestTimeTooSkewed = Code(rawValue: "RequestTimeTooSkewed")
        /// 403: the credentials may not do this (IAM or bucket policy, KMS key policy, wrong bucket owner).
        public static let accessDenied = Code(rawValue: "AccessDenied")
        /// 403: the access key does not exist.
        public static let invalidAccessKeyID = Code(rawValue: "InvalidAccessKeyId")
        /// 403: the signature does not match (wrong secret key, or a request changed after signing).
        public static let signatureDoesNotMatch = Code(rawValue: "SignatureDoesNotMatch")
        /// 400: the session token has expired.
        public static let expiredToken = Code(rawValue: "ExpiredToken")
        /// 400: the session token is malformed or invalid.
        public static let invalidToken = Code(rawValue: "InvalidToken")
        /// 404: the bucket does not exist.
        public static let noSuchBucket = Code(rawValue: "NoSuchBucket")
        /// 404: the key does not exist.
        public static let noSuchKey = Code(rawValue: "NoSuchKey")
        /// 404: the multipart upload does not exist (completed or aborted).
        public static let noSuchUpload = Code(rawValue: "NoSuchUpload")
        /// 400: the body does not match `Content-MD5` or the checksum.
        public static let badDigest = Code(rawValue: "BadDigest")
        /// 400: the request is invalid (for example Content-MD5 missing on an Object Lock bucket).
        public static let invalidRequest = Code(rawValue: "InvalidRequest")
        /// 400: an argument is invalid (for example a KMS key id).
        public static let invalidArgument = Code(rawValue: "InvalidArgument")
        /// 400: the authorization header names another region; see the message.
        public static let authorizationHeaderMalformed = Code(rawValue: "AuthorizationHeaderMalformed")
        /// 301: the bucket is in another region (S3 answers with its endpoint).
        public static let permanentRedirect = Code(rawValue: "PermanentRedirect")
        /// 400: the bucket enforces bucket-owner ownership and the request set an ACL other than
        /// `bucket-owner-full-control`.
        public static let accessControlListNotSupported = Code(rawValue: "AccessControlListNotSupported")
        /// 400: KMS refused the key (disabled, wrong region, no `kms:GenerateDataKey`).
        public static let kmsDisabled = Code(rawValue: "KMS.DisabledException")

        // Client-side codes.

        /// No TCP (or TLS, or proxy) connection could be established; ``S3Error/message`` says why.
        public static let connectionFailed = Code(rawValue: "connectionFailed")
        /// A connect, read or write timeout expired.
        public static let timedOut = Code(rawValue: "timedOut")
        /// The connection was reset or closed before the response was complete.
        public static let connectionReset = Code(rawValue: "connectionReset")
        /// The response could not be understood (malformed HTTP, a missing upload id, an unexpected status).
        public static let invalidResponse = Code(rawValue: "invalidResponse")
        /// The request could not be signed (malformed credentials, or libcrypto failed).
        public static let signingFailed = Code(rawValue: "signingFailed")
        /// The credential provider could not supply credentials.
        public static let credentialsUnavailable = Code(rawValue: "credentialsUnavailable")
        /// The time budget of the operation ran out before it succeeded.
        public static let deadlineExceeded = Code(rawValue: "deadlineExceeded")
        /// The client configuration is unusable (endpoint, region, bucket name, CA file).
        public static let invalidConfiguration = Code(rawValue: "invalidConfiguration")
    }

    /// What went wrong.
    public let code: Code
    /// S3's message, or a client-side explanation.
    public let message: String
    /// The HTTP status of S3's answer, or `nil` for client-side failures.
    public let httpStatus: Int?
    /// S3's request id (`x-amz-request-id` or `<RequestId>`), when S3 answered.
    public let requestID: String?
    /// S3's extended request id (`x-amz-id-2` or `<HostId>`), when S3 answered.
    public let hostID: String?
    /// How many attempts were made before giving up (1 when the first failure was final).
    public var attempts: Int

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: The explanation; it must not contain secrets.
    ///   - httpStatus: S3's HTTP status, if S3 answered.
    ///   - requestID: S3's request id, if any.
    ///   - hostID: S3's extended request id, if any.
    ///   - attempts: The attempts made. Default: 1.
    public init(
        _ code: Code,
        _ message: String,
        httpStatus: Int? = nil,
        requestID: String? = nil,
        hostID: String? = nil,
        attempts: Int = 1
    ) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.requestID = requestID
        self.hostID = hostID
        self.attempts = attempts
    }

    /// Whether S3's throttling or transient-failure signals, or a transport failure, make another attempt
    /// worthwhile (AWS standard retry mode): HTTP 500, 502, 503 and 504, the throttling and timeout codes, and
    /// connection failures, resets and timeouts.
    public var isRetryable: Bool {
        if let status = self.httpStatus, [500, 502, 503, 504].contains(status) {
            return true
        }
        return Self.retryableCodes.contains(self.code)
    }

    /// Whether the failure was a timeout (a retry then costs more of the retry quota).
    public var isTimeout: Bool {
        self.code == .timedOut || self.code == .requestTimeout
    }

    /// Whether the credentials were refused (missing permission, unknown or expired keys, bad signature).
    public var isAccessDenied: Bool {
        Self.accessCodes.contains(self.code) || (self.httpStatus == 403 && self.code != .requestTimeTooSkewed)
    }

    /// `<code> (HTTP <status>): <message> [request id <id>] [after <n> attempts]`.
    public var description: String {
        var text = self.code.rawValue
        if let status = self.httpStatus {
            text += " (HTTP \(status))"
        }
        text += ": \(self.message)"
        if let requestID = self.requestID, !requestID.isEmpty {
            text += " [request id \(requestID)]"
        }
        if self.attempts > 1 {
            text += " after \(self.attempts) attempts"
        }
        return text
    }

    /// Codes retried in standard mode whatever the HTTP status.
    static let retryableCodes: Set<Code> = [
        .slowDown, .internalError, .serviceUnavailable, .requestTimeout, .connectionFailed, .timedOut,
        .connectionReset, Code(rawValue: "RequestTimeoutException"), Code(rawValue: "PriorRequestNotComplete"),
        Code(rawValue: "Throttling"), Code(rawValue: "ThrottlingException"), Code(rawValue: "ThrottledException"),
        Code(rawValue: "RequestThrottledException"), Code(rawValue: "TooManyRequestsException"),
        Code(rawValue: "RequestLimitExceeded"), Code(rawValue: "BandwidthLimitExceeded"),
        Code(rawValue: "RequestThrottled"),
    ]

    /// Whether S3 refused the request's session token as expired or invalid: fetching the credentials again may
    /// help (static keys without a token never get these answers).
    var isRefusedSessionToken: Bool {
        Self.sessionTokenCodes.contains(self.code)
    }

    /// Codes that mean the session token expired or is no longer accepted.
    static let sessionTokenCodes: Set<Code> = [.expiredToken, .invalidToken, Code(rawValue: "TokenRefreshRequired")]

    /// Codes that mean the credentials or permissions are wrong.
    static let accessCodes: Set<Code> = [
        .accessDenied, .invalidAccessKeyID, .signatureDoesNotMatch, .expiredToken, .invalidToken,
        .credentialsUnavailable, Code(rawValue: "AllAccessDisabled"), Code(rawValue: "AccountProblem"),
        Code(rawValue: "KMS.AccessDeniedException"),
    ]
}
