/// A JSON text could not be parsed.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a stable code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable name of the code, e.g. `unexpectedByte`.
        public let name: String

        /// A byte that cannot start or continue a value here.
        public static let unexpectedByte = Code(name: "unexpectedByte")
        /// The text ends inside a value.
        public static let unexpectedEnd = Code(name: "unexpectedEnd")
        /// A string has a raw control character, a bad escape or invalid UTF-8.
        public static let invalidString = Code(name: "invalidString")
        /// A number breaks the RFC 8259 grammar.
        public static let invalidNumber = Code(name: "invalidNumber")
        /// Nesting is deeper than ``JSONLimits/maxDepth``.
        public static let tooDeep = Code(name: "tooDeep")
        /// More values than ``JSONLimits/maxNodes``.
        public static let tooLarge = Code(name: "tooLarge")
        /// Non-whitespace bytes follow the top-level value.
        public static let trailingBytes = Code(name: "trailingBytes")
        /// The text is empty or whitespace only.
        public static let empty = Code(name: "empty")

        /// The code's name.
        public var description: String { name }
    }

    /// What went wrong.
    public let code: Code
    /// Byte offset in the source where the problem was found.
    public let offset: Int

    /// Creates an error.
    /// - Parameters:
    ///   - code: what went wrong.
    ///   - offset: byte offset of the problem.
    public init(_ code: Code, at offset: Int) {
        self.code = code
        self.offset = offset
    }

    /// A one-line explanation, e.g. `invalid JSON (invalidString at byte 17)`.
    public var description: String { "invalid JSON (\(code.name) at byte \(offset))" }
}
