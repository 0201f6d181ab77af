/// Why the spool could not make a batch durable, or could not flush.
public struct SecurityLakeSpoolError: Error, Sendable, CustomStringConvertible {
    /// A stable error code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable name.
        public let name: String

        /// A spool file could not be written and synced.
        public static let writeFailed = Code(name: "write_failed")
        /// A spool file could not be read or listed.
        public static let readFailed = Code(name: "read_failed")
        /// A flushed object could not be built or written to the sink.
        public static let flushFailed = Code(name: "flush_failed")

        /// The name.
        public var description: String { name }
    }

    /// The code.
    public let code: Code
    /// What failed.
    public let message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: the code.
    ///   - message: what failed.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}
