/// A problem found by `lakemark send` before or while sending: bad arguments, unreadable or malformed event
/// files, oversized records, or a transport failure.
public struct SenderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem; the static members are the catalogue, and ``Code/name`` is stable.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable name of the code, for example `"recordTooLarge"`.
        public let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// A command-line argument or option value is invalid.
        public static let invalidArgument = Code("invalidArgument")
        /// A file or directory cannot be read.
        public static let unreadableFile = Code("unreadableFile")
        /// A file given explicitly is not JSON, a JSON array or NDJSON.
        public static let notJSON = Code("notJSON")
        /// A JSON file has a recognised shape but invalid content (for example bad base64 in `data`).
        public static let invalidEventFile = Code("invalidEventFile")
        /// A record is larger than the 1,024,000 bytes Firehose allows.
        public static let recordTooLarge = Code("recordTooLarge")
        /// The request could not be sent or no response arrived.
        public static let transportFailure = Code("transportFailure")

        /// The same as ``name``.
        public var description: String { name }
    }

    /// The kind of problem.
    public let code: Code
    /// A one-line explanation naming the file, record index or option concerned (never a secret).
    public let message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of problem.
    ///   - message: The explanation.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The same as ``message``.
    public var description: String { message }
}
