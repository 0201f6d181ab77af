/// Why a record could not be converted to, or validated against, its OCSF class.
public struct OCSFError: Error, Sendable, CustomStringConvertible {
    /// A stable error code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable name, used in metrics labels and in the raw location's reason.
        public let name: String

        /// A required attribute is missing or null.
        public static let missingRequired = Code(name: "missing_required")
        /// A value has the wrong JSON type for its attribute.
        public static let wrongType = Code(name: "wrong_type")
        /// An enum attribute holds an id the class does not define.
        public static let unknownEnumValue = Code(name: "unknown_enum_value")
        /// `type_uid` is not `class_uid * 100 + activity_id`, or `category_uid` does not match the class.
        public static let inconsistentIDs = Code(name: "inconsistent_ids")
        /// `metadata.version` is not an OCSF version (`x.y.z`, `-dev` or `-rc.N`).
        public static let badVersion = Code(name: "bad_version")
        /// The event's `class_uid` has no pinned schema in this build.
        public static let unknownClass = Code(name: "unknown_class")
        /// `time` is not a plausible event time (2000-2100), even read as epoch seconds.
        public static let implausibleTime = Code(name: "implausible_time")
        /// A pinned schema file could not be read (a build defect).
        public static let badSchema = Code(name: "bad_schema")

        /// The name.
        public var description: String { name }
    }

    /// The code.
    public let code: Code
    /// The attribute path concerned, e.g. `metadata.product.vendor_name`, or empty.
    public let path: String
    /// A human-readable explanation.
    public let message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: the code.
    ///   - path: the attribute path concerned.
    ///   - message: the explanation.
    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// `code at path: message`.
    public var description: String { path.isEmpty ? "\(code): \(message)" : "\(code) at \(path): \(message)" }
}
