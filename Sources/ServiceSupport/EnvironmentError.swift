/// A problem with an environment variable: missing, or not parseable as the expected type.
public struct EnvironmentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem; the static members are the catalogue, and ``Code/name`` is stable.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable name of the code, for example `"invalidInteger"`.
        public let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// A required variable is not set (or is empty).
        public static let missing = Code("missing")
        /// The value is not an integer.
        public static let invalidInteger = Code("invalidInteger")
        /// The value is not a number.
        public static let invalidNumber = Code("invalidNumber")
        /// The value is not a Boolean word (`true/false/1/0/yes/no/on/off`).
        public static let invalidBoolean = Code("invalidBoolean")
        /// The value parsed but lies outside the allowed range.
        public static let outOfRange = Code("outOfRange")
        /// The value is not one of the allowed choices.
        public static let invalidChoice = Code("invalidChoice")

        /// The same as ``name``.
        public var description: String { name }
    }

    /// The kind of problem.
    public let code: Code
    /// The name of the variable, for example `"LAKEMARK_PORT"`.
    public let variable: String
    /// A human-readable explanation that names the variable.
    public let message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of problem.
    ///   - variable: The variable name.
    ///   - message: The explanation, naming the variable.
    public init(code: Code, variable: String, message: String) {
        self.code = code
        self.variable = variable
        self.message = message
    }

    /// The same as ``message``.
    public var description: String { message }
}
