/// The configuration cannot be used; start-up stops with ``description``.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// Stable codes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code's name.
        public let name: String
        /// A value is out of range or malformed.
        public static let invalidValue = Code(name: "config.invalid_value")
        /// The configuration file names an option that does not exist.
        public static let unknownKey = Code(name: "config.unknown_key")
        /// The configuration file cannot be read or is not a JSON object.
        public static let unreadableFile = Code(name: "config.unreadable_file")
        /// Two options that exclude each other are both set.
        public static let conflict = Code(name: "config.conflict")
        /// The code's name.
        public var description: String { name }
    }

    /// What is wrong.
    public let code: Code
    /// The option (file key), or the file path.
    public let key: String
    /// What is allowed instead.
    public let message: String
    /// Where the offending value came from (a file path or an environment variable), when known.
    public var origin: String?

    /// Creates an error.
    public init(_ code: Code, key: String, _ message: String, origin: String? = nil) {
        self.code = code
        self.key = key
        self.message = message
        self.origin = origin
    }

    /// One line naming the option, its origin and what is allowed.
    public var description: String {
        let from = origin.map { " (from \($0))" } ?? ""
        return "configuration error [\(code)]: \(key)\(from): \(message)"
    }
}
