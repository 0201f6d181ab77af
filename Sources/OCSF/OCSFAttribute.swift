/// One attribute of an OCSF class schema: a scalar column or a group of attributes, either possibly an array.
public struct OCSFAttribute: Sendable {
    /// What the attribute holds.
    public enum Kind: Sendable {
        /// A scalar of this type.
        case scalar(OCSFColumnType)
        /// An object whose kept attributes are these, sorted by name.
        case group([OCSFAttribute])
    }

    /// How strongly OCSF asks for the attribute.
    public enum Requirement: String, Sendable {
        /// Must be present (validated).
        case required
        /// Should be present (not validated).
        case recommended
        /// May be present.
        case optional
    }

    /// The attribute name, e.g. `activity_id`.
    public let name: String
    /// The scalar type or the nested attributes.
    public var kind: Kind
    /// The requirement the class declares.
    public let requirement: Requirement
    /// Whether the attribute is an array (a 3-level Parquet LIST).
    public let isArray: Bool
    /// The allowed ids of an enum attribute; empty when the attribute is not an enum.
    public let enumValues: Set<Int64>

    /// Creates an attribute.
    /// - Parameters:
    ///   - name: the attribute name.
    ///   - kind: scalar type or nested attributes.
    ///   - requirement: the requirement. Default: optional.
    ///   - isArray: whether it is an array. Default: `false`.
    ///   - enumValues: the allowed enum ids. Default: none (not an enum).
    public init(
        name: String,
        kind: Kind,
        requirement: Requirement = .optional,
        isArray: Bool = false,
        enumValues: Set<Int64> = []
    ) {
        self.name = name
        self.kind = kind
        self.requirement = requirement
        self.isArray = isArray
        self.enumValues = enumValues
    }

    /// The nested attributes of a group, empty for a scalar.
    public var children: [OCSFAttribute] {
        if case .group(let children) = kind { return children }
        return []
    }
}
