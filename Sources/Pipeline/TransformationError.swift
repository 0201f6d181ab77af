/// Why a data-transformation event, or one of its records, could not be processed.
public struct TransformationError: Error, Sendable, CustomStringConvertible {
    /// Stable codes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code's name.
        public let name: String
        /// The event is not a data-transformation event (not JSON, no `records`, a record without `recordId`);
        /// the whole invocation fails and Firehose retries it.
        public static let invalidEvent = Code(name: "lambda.invalid_event")
        /// One record cannot be decoded (bad base64, over the size limit, corrupt gzip); it is answered
        /// `ProcessingFailed` with its original data.
        public static let invalidRecord = Code(name: "lambda.invalid_record")
        /// Remote mapping failed and `mapping_failure` is `fail`; the invocation fails and Firehose retries it.
        public static let mappingUnavailable = Code(name: "lambda.mapping_unavailable")
        /// The mapper failed unexpectedly.
        public static let mappingFailed = Code(name: "lambda.mapping_failed")
        /// The code's name.
        public var description: String { name }
    }

    /// What went wrong.
    public let code: Code
    /// Details for the log and the Lambda error message (never event data or secrets).
    public let message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: Details.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `<code>: <message>`.
    public var description: String { "\(code): \(message)" }
}
