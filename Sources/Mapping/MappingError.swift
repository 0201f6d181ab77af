/// An error of the mapping engine or of the `/v1/map` contract.
///
/// `code` is a stable machine-readable name (sent as `error.code` in API responses); `message`
/// names the offending field and what is allowed.
public struct MappingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable error code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code's wire name, e.g. `"unknown_framework"`.
        public let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// A framework key is not one of the supported ids.
        public static let unknownFramework = Code("unknown_framework")
        /// `min_similarity` is outside 0.01...1.0, or `min_confidence` is not a confidence name.
        public static let invalidThreshold = Code("invalid_threshold")
        /// Both `min_similarity` and `min_confidence` were given.
        public static let bothThresholds = Code("both_thresholds")
        /// `topk` is outside ``MappingOptions/topKRange``.
        public static let invalidTopK = Code("invalid_topk")
        /// The request is not valid JSON or lacks a required field.
        public static let invalidRequest = Code("invalid_request")
        /// The request has more documents than ``MapAPI/maxDocuments``.
        public static let tooManyDocuments = Code("too_many_documents")
        /// A document is longer than ``MapAPI/maxDocumentBytes``.
        public static let documentTooLarge = Code("document_too_large")
        /// The request body is larger than ``MapAPI/maxRequestBytes``.
        public static let requestTooLarge = Code("request_too_large")
        /// No catalog directory was found.
        public static let catalogNotFound = Code("catalog_not_found")
        /// A catalog or vocabulary file is missing or malformed.
        public static let catalogInvalid = Code("catalog_invalid")
        /// An entity of the organisation (``EmbeddedMapper/init(catalogDirectory:cacheCapacity:embedder:entities:)``)
        /// names no entity a catalogue scopes requirements to.
        public static let unknownEntity = Code("unknown_entity")
        /// The mapper failed for another reason (reported with HTTP status 500).
        public static let mapperFailed = Code("mapper_failed")

        /// The wire name.
        public var description: String { name }
    }

    /// What went wrong.
    public let code: Code
    /// A human-readable explanation naming the field and what is allowed.
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
