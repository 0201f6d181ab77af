/// An error of the semantic layer: loading a model or reading and writing an embedding matrix.
///
/// `code` is a stable machine-readable name; `message` names the file or field and what was expected.
public struct SemanticError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable error code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code's name, e.g. `"model_not_found"`.
        public let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The model directory or one of its required files does not exist.
        public static let modelNotFound = Code("model_not_found")
        /// A model file exists but is malformed: a bad safetensors header, a missing or misshapen tensor,
        /// a vocabulary without the special tokens.
        public static let modelInvalid = Code("model_invalid")
        /// A file could not be opened, mapped or read.
        public static let readFailed = Code("read_failed")
        /// A file could not be written.
        public static let writeFailed = Code("write_failed")
        /// An embedding-matrix file is malformed (magic, sizes, ids).
        public static let matrixInvalid = Code("matrix_invalid")
        /// An argument is out of range: a token limit, vectors of unequal dimension, an id with a newline.
        public static let invalidArgument = Code("invalid_argument")

        /// The name.
        public var description: String { name }
    }

    /// What went wrong.
    public let code: Code
    /// A human-readable explanation naming the file or field.
    public let message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The error code.
    ///   - message: The explanation.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code.name): \(message)" }
}
