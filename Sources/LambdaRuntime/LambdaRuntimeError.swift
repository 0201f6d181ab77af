/// A failure talking to the Lambda Runtime API. Equality of codes is by name.
public struct LambdaRuntimeError: Error, Sendable, CustomStringConvertible {
    /// Stable codes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code's name.
        public let name: String
        /// `AWS_LAMBDA_RUNTIME_API` is missing or not `host:port`.
        public static let invalidEndpoint = Code(name: "lambda.invalid_endpoint")
        /// The connection to the Runtime API failed or timed out.
        public static let transport = Code(name: "lambda.transport")
        /// The Runtime API answered 500: the execution environment is broken and the runtime must exit.
        public static let containerError = Code(name: "lambda.container_error")
        /// The Runtime API refused the call (400, 403, 413 or another unexpected status).
        public static let rejected = Code(name: "lambda.rejected")
        /// A `next` answer lacks the request id header.
        public static let missingRequestID = Code(name: "lambda.missing_request_id")
        /// The code's name.
        public var description: String { name }
    }

    /// What went wrong.
    public let code: Code
    /// The HTTP status, when the Runtime API answered.
    public let status: Int?
    /// Details for logs (never event data).
    public let detail: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - status: The HTTP status, when there was an answer. Default: `nil`.
    ///   - detail: Details for logs.
    public init(_ code: Code, status: Int? = nil, _ detail: String) {
        self.code = code
        self.status = status
        self.detail = detail
    }

    /// Whether the runtime must stop: the environment is broken or the endpoint is unusable.
    public var isFatal: Bool { code == .containerError || code == .invalidEndpoint }

    /// One line for logs.
    public var description: String {
        let answer = status.map { " (HTTP \($0))" } ?? ""
        return "\(code)\(answer): \(detail)"
    }
}
