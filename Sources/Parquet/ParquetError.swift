/// A schema, row or write that ``ParquetSchema`` or ``ParquetFileWriter`` refused.
public struct ParquetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Why the operation was refused. The names are stable and safe to log.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable name of the code, for logs and error messages.
        public let name: String

        /// The schema is not valid: an empty or duplicate name, a group without fields, a logical type that does not
        /// fit the physical type, a repeated LIST or list element, or nesting deeper than the writer supports.
        public static let invalidSchema = Code(name: "invalidSchema")
        /// A row has a different number of values than the schema has top-level fields, or a group value has a
        /// different number of values than the group has fields.
        public static let fieldCountMismatch = Code(name: "fieldCountMismatch")
        /// A required field is `.null`.
        public static let missingRequiredValue = Code(name: "missingRequiredValue")
        /// A value's kind does not fit its field (for example a `.list` where a group is expected, or `.bytes` in an
        /// INT64 column).
        public static let typeMismatch = Code(name: "typeMismatch")
        /// An integer does not fit the column's logical type (INT_8 or INT_16).
        public static let valueOutOfRange = Code(name: "valueOutOfRange")
        /// A byte array, page or column chunk is larger than Parquet's 32-bit sizes allow.
        public static let tooLarge = Code(name: "tooLarge")
        /// ``ParquetFileWriter/finish()`` was already called on this writer.
        public static let alreadyFinished = Code(name: "alreadyFinished")

        /// The stable name of the code.
        public var description: String { name }
    }

    /// Why the operation was refused.
    public let code: Code
    /// What was wrong, naming the column path (for example `finding_info.types.element`); never the row's data.
    public let message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: Why the operation was refused.
    ///   - message: What was wrong, naming the column path.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The code's name and the message.
    public var description: String { "\(code.name): \(message)" }
}
