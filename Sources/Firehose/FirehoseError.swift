/// A Firehose request that cannot be accepted, with everything needed to answer it.
///
/// Status decisions: malformed requests are 400, a missing or wrong access key is 401, an unsupported
/// `Content-Encoding` is 415. 413 is never used: Firehose treats 413 as permanent and does not back the batch up
/// to its S3 error bucket, so it would lose data; 400 is retried and finally backed up.
public struct FirehoseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong. The names are stable and safe to log and count.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable name of the code.
        public let name: String
        /// The HTTP status that answers this code.
        public let httpStatus: Int

        /// No `X-Amz-Firehose-Request-Id` header.
        public static let missingRequestID = Code(name: "missingRequestID", httpStatus: 400)
        /// The header request id and the body `requestId` differ.
        public static let requestIDMismatch = Code(name: "requestIDMismatch", httpStatus: 400)
        /// The body has no `requestId` string, or it is empty.
        public static let missingBodyRequestID = Code(name: "missingBodyRequestID", httpStatus: 400)
        /// The body is valid JSON but not the Firehose request shape (not an object, duplicate fields).
        public static let invalidBody = Code(name: "invalidBody", httpStatus: 400)
        /// The body is not valid JSON (including invalid UTF-8, trailing bytes, too deep or too many values).
        public static let invalidJSON = Code(name: "invalidJSON", httpStatus: 400)
        /// `records` is missing, `null` or not an array.
        public static let missingRecords = Code(name: "missingRecords", httpStatus: 400)
        /// A record is not an object, or its `data` is missing, `null`, not a string or duplicated.
        public static let invalidRecord = Code(name: "invalidRecord", httpStatus: 400)
        /// A record's `data` is not valid base64.
        public static let invalidBase64 = Code(name: "invalidBase64", httpStatus: 400)
        /// A `Content-Encoding` other than gzip, x-gzip or identity.
        public static let unsupportedContentEncoding = Code(name: "unsupportedContentEncoding", httpStatus: 415)
        /// `Content-Encoding: gzip` but the body is not a valid gzip stream.
        public static let invalidGzipBody = Code(name: "invalidGzipBody", httpStatus: 400)
        /// The body, after decompression, is larger than the configured limit.
        public static let bodyTooLarge = Code(name: "bodyTooLarge", httpStatus: 400)
        /// More records than the configured limit.
        public static let tooManyRecords = Code(name: "tooManyRecords", httpStatus: 400)
        /// A record, after base64 decoding, is larger than the configured limit.
        public static let recordTooLarge = Code(name: "recordTooLarge", httpStatus: 400)
        /// The access key is missing or does not match a configured key.
        public static let unauthorized = Code(name: "unauthorized", httpStatus: 401)

        /// The stable name of the code.
        public var description: String { name }
    }

    /// The longest `errorMessage` Firehose accepts, in characters.
    public static let maximumMessageLength = 8192

    /// What was wrong.
    public let code: Code
    /// A clear, human-readable explanation, at most ``maximumMessageLength`` characters, never containing the
    /// access key or record contents.
    public let message: String
    /// The zero-based index of the offending record, when one record is at fault.
    public let recordIndex: Int?
    /// The request id to echo in the response: the header id, or the body id when the header had none.
    public let requestID: String?

    /// The HTTP status to answer with (400, 401 or 415; never 413).
    public var httpStatus: Int { code.httpStatus }

    /// Creates an error.
    /// - Parameters:
    ///   - code: What was wrong.
    ///   - message: The explanation; truncated to ``maximumMessageLength`` characters.
    ///   - recordIndex: The offending record's index, if any.
    ///   - requestID: The request id to echo in the response, if known.
    public init(code: Code, message: String, recordIndex: Int? = nil, requestID: String? = nil) {
        self.code = code
        self.message = FirehoseResponse.truncated(message, to: Self.maximumMessageLength)
        self.recordIndex = recordIndex
        self.requestID = requestID
    }

    /// The error for a request whose access key is missing or wrong. The message never contains the key.
    /// - Parameters:
    ///   - keyPresent: Whether the request carried an `X-Amz-Firehose-Access-Key` header.
    ///   - requestID: The request id to echo.
    /// - Returns: An ``Code/unauthorized`` error.
    public static func unauthorized(keyPresent: Bool, repeated: Bool = false, requestID: String?) -> FirehoseError {
        let message =
            repeated ? "the X-Amz-Firehose-Access-Key header appears more than once"
            : keyPresent ? "the X-Amz-Firehose-Access-Key header does not match a configured key"
            : "the X-Amz-Firehose-Access-Key header is missing"
        return FirehoseError(code: .unauthorized, message: message, requestID: requestID)
    }

    /// The code name and message, with the record index when there is one.
    public var description: String {
        let record = recordIndex.map { " (record \($0))" } ?? ""
        return "\(code.name)\(record): \(message)"
    }
}
