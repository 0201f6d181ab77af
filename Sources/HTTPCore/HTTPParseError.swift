/// A malformed, oversized or unsupported HTTP/1.x message.
///
/// Each code carries the status a server should answer with (``status``). Equality and hashing use the code only.
public struct HTTPParseError: Error, Sendable, CustomStringConvertible {
    /// The catalogue of parse error codes; the raw value is a stable name suitable for logs and metrics.
    public struct Code: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
        /// The stable code name.
        public let rawValue: String

        /// Creates a code from its stable name.
        /// - Parameter rawValue: The code name.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// The stable code name.
        public var description: String { self.rawValue }

        /// The head (start line and fields) exceeds the byte limit. Status 431.
        public static let headTooLarge = Code(rawValue: "headTooLarge")
        /// The head has more field lines than allowed. Status 431.
        public static let tooManyHeaders = Code(rawValue: "tooManyHeaders")
        /// The request line is not `method SP request-target SP HTTP-version`. Status 400.
        public static let invalidRequestLine = Code(rawValue: "invalidRequestLine")
        /// The status line of a response is malformed. Status 400 (reported to clients as an invalid response).
        public static let invalidStatusLine = Code(rawValue: "invalidStatusLine")
        /// The request target is not origin-form, absolute-form (http/https) or `*` for OPTIONS. Status 400.
        public static let invalidTarget = Code(rawValue: "invalidTarget")
        /// The version is well-formed but not HTTP/1.0 or HTTP/1.1. Status 505.
        public static let unsupportedVersion = Code(rawValue: "unsupportedVersion")
        /// A line ends with a bare LF or contains a bare CR. Status 400.
        public static let invalidLineEnding = Code(rawValue: "invalidLineEnding")
        /// A field line has an invalid name, whitespace before the colon or a control character. Status 400.
        public static let invalidHeader = Code(rawValue: "invalidHeader")
        /// A field line starts with whitespace (obsolete line folding, RFC 9112 §5.2). Status 400.
        public static let obsoleteLineFolding = Code(rawValue: "obsoleteLineFolding")
        /// An HTTP/1.1 request without exactly one `Host` field, or any request with several. Status 400.
        public static let invalidHost = Code(rawValue: "invalidHost")
        /// `Content-Length` is not a decimal number, or repeated with different values. Status 400.
        public static let invalidContentLength = Code(rawValue: "invalidContentLength")
        /// Both `Content-Length` and `Transfer-Encoding` are present (request smuggling guard). Status 400.
        public static let conflictingFraming = Code(rawValue: "conflictingFraming")
        /// `Transfer-Encoding` is empty, malformed, sent in HTTP/1.0, or does not end with chunked. Status 400.
        public static let invalidTransferEncoding = Code(rawValue: "invalidTransferEncoding")
        /// `Transfer-Encoding` names a coding other than chunked. Status 501.
        public static let unsupportedTransferEncoding = Code(rawValue: "unsupportedTransferEncoding")
        /// A chunk size line, chunk terminator or trailer is malformed or too long. Status 400.
        public static let invalidChunk = Code(rawValue: "invalidChunk")
        /// The trailer section exceeds its byte limit. Status 431.
        public static let trailersTooLarge = Code(rawValue: "trailersTooLarge")
        /// The body exceeds the configured limit. Status 400 by default, never 413 (Firehose drops data on 413).
        public static let bodyTooLarge = Code(rawValue: "bodyTooLarge")
        /// The connection ended before the message was complete. Status 400.
        public static let incompleteMessage = Code(rawValue: "incompleteMessage")
        /// The peer did not send the message in time. Status 408.
        public static let timeout = Code(rawValue: "timeout")
    }

    /// What went wrong.
    public let code: Code

    /// Creates an error.
    /// - Parameter code: The error code.
    public init(_ code: Code) {
        self.code = code
    }

    /// The status a server should answer with for this error.
    public var status: HTTPStatus {
        switch self.code {
        case .headTooLarge, .tooManyHeaders, .trailersTooLarge: .requestHeaderFieldsTooLarge
        case .unsupportedVersion: .httpVersionNotSupported
        case .unsupportedTransferEncoding: .notImplemented
        case .timeout: .requestTimeout
        default: .badRequest
        }
    }

    /// The code name, for logs.
    public var description: String { "HTTPParseError(\(self.code.rawValue))" }
}

extension HTTPParseError: Hashable {
    /// Compares the codes.
    /// - Parameters:
    ///   - lhs: An error.
    ///   - rhs: Another error.
    /// - Returns: `true` when the codes are equal.
    public static func == (lhs: HTTPParseError, rhs: HTTPParseError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code.
    /// - Parameter hasher: The hasher.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
