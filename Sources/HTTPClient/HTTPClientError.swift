public import HTTPCore

/// An error raised by ``HTTPClient`` or a transport. Equality and hashing use the code only.
public struct HTTPClientError: Error, Sendable, CustomStringConvertible {
    /// The catalogue of client error codes; the raw value is a stable name for logs and metrics.
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

        /// The URL is not `http(s)://host[:port][/path][?query]`.
        public static let invalidURL = Code(rawValue: "invalidURL")
        /// The request has an invalid method, target or header field; ``HTTPClientError/parseError`` says which.
        public static let invalidRequest = Code(rawValue: "invalidRequest")
        /// The host could not be resolved or every address refused the connection.
        public static let connectFailed = Code(rawValue: "connectFailed")
        /// Connecting, or a read or write, took longer than its timeout; ``HTTPClientError/detail`` says which.
        public static let timeout = Code(rawValue: "timeout")
        /// The peer reset or closed the connection before the response was complete.
        public static let connectionReset = Code(rawValue: "connectionReset")
        /// The response is malformed; ``HTTPClientError/parseError`` says how.
        public static let invalidResponse = Code(rawValue: "invalidResponse")
        /// The response head or body exceeds the configured limit.
        public static let responseTooLarge = Code(rawValue: "responseTooLarge")
        /// Another system call failed; see ``HTTPClientError/errnoCode``.
        public static let ioFailed = Code(rawValue: "ioFailed")
    }

    /// What went wrong.
    public let code: Code
    /// The `errno` captured right after the failing system call, when there was one.
    public let errnoCode: Int32?
    /// The parse error behind ``Code/invalidRequest`` or ``Code/invalidResponse``.
    public let parseError: HTTPParseError?
    /// Extra context, such as `connect`, `read` or `write` for timeouts.
    public let detail: String?

    /// Creates an error.
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - errnoCode: The captured `errno`, if any.
    ///   - parseError: The underlying parse error, if any.
    ///   - detail: Extra context.
    public init(_ code: Code, errnoCode: Int32? = nil, parseError: HTTPParseError? = nil, detail: String? = nil) {
        self.code = code
        self.errnoCode = errnoCode
        self.parseError = parseError
        self.detail = detail
    }

    /// A one-line description for logs.
    public var description: String {
        var text = "HTTPClientError(\(self.code.rawValue)"
        if let errnoCode = self.errnoCode {
            text += ", errno \(errnoCode)"
        }
        if let parseError = self.parseError {
            text += ", \(parseError.code.rawValue)"
        }
        if let detail = self.detail {
            text += ", \(detail)"
        }
        return text + ")"
    }
}

extension HTTPClientError: Hashable {
    /// Compares the codes.
    /// - Parameters:
    ///   - lhs: An error.
    ///   - rhs: Another error.
    /// - Returns: `true` when the codes are equal.
    public static func == (lhs: HTTPClientError, rhs: HTTPClientError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code.
    /// - Parameter hasher: The hasher.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.code)
    }
}
