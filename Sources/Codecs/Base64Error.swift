/// A base64 text that ``Base64/decode(_:options:)`` refused.
public struct Base64Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong with the text. The names are stable and safe to log.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable name of the code, for logs and error messages.
        public let name: String

        /// A byte outside the standard alphabet, `=` and (when allowed) whitespace, for example `-` or `_`
        /// of the URL-safe alphabet.
        public static let invalidCharacter = Code(name: "invalidCharacter")
        /// `=` where it cannot be: in the middle of the text, too many or too few of them, or followed by data.
        public static let invalidPadding = Code(name: "invalidPadding")
        /// The text ends after a single character of a group, which cannot encode a whole byte.
        public static let invalidLength = Code(name: "invalidLength")
        /// The text ends without padding while ``Base64/DecodingOptions/requiresPadding`` is set.
        public static let missingPadding = Code(name: "missingPadding")

        /// The stable name of the code.
        public var description: String { name }
    }

    /// What was wrong.
    public let code: Code
    /// The byte offset in the input where the problem was found (the input length for a problem at the end).
    public let offset: Int

    /// Creates an error.
    /// - Parameters:
    ///   - code: What was wrong.
    ///   - offset: The byte offset in the input where the problem was found.
    public init(code: Code, offset: Int) {
        self.code = code
        self.offset = offset
    }

    /// A short message naming the code and the offset, without any of the input bytes.
    public var description: String {
        switch code {
        case .invalidCharacter: "invalid base64 character at offset \(offset)"
        case .invalidPadding: "invalid base64 padding at offset \(offset)"
        case .invalidLength: "base64 text ends in the middle of a byte at offset \(offset)"
        case .missingPadding: "base64 padding missing at offset \(offset)"
        default: "base64 error \(code.name) at offset \(offset)"
        }
    }
}
