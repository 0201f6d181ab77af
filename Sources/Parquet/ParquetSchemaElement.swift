/// One `SchemaElement` of the footer's depth-first schema list.
struct ParquetSchemaElement: Sendable {
    /// The legacy annotation (`ConvertedType`), as its Thrift enum value.
    enum ConvertedType: Int32, Sendable {
        /// `UTF8`.
        case utf8 = 0
        /// `LIST`.
        case list = 3
        /// `TIMESTAMP_MILLIS`.
        case timestampMillis = 9
        /// `INT_8`.
        case int8 = 15
        /// `INT_16`.
        case int16 = 16
        /// `INT_32`.
        case int32 = 17
        /// `INT_64`.
        case int64 = 18
    }

    /// The annotation (`LogicalType` union).
    enum LogicalAnnotation: Sendable {
        /// `STRING`.
        case string
        /// `LIST`.
        case list
        /// `TIMESTAMP(isAdjustedToUTC=true, unit=MILLIS)`.
        case timestampMillisUTC
        /// `INTEGER(bitWidth, isSigned=true)`.
        case signedInteger(bitWidth: Int8)
    }

    /// The element name.
    let name: String
    /// The physical type, for leaves.
    let physical: ParquetPhysicalType?
    /// The repetition, for everything but the root.
    let repetition: ParquetRepetition?
    /// The number of children, for groups (the root included).
    let childCount: Int?
    /// The legacy annotation.
    let converted: ConvertedType?
    /// The annotation.
    let logical: LogicalAnnotation?

    /// The root element, named `schema`.
    /// - Parameter childCount: The number of top-level fields.
    init(root childCount: Int) {
        name = "schema"
        physical = nil
        repetition = nil
        self.childCount = childCount
        converted = nil
        logical = nil
    }

    /// A group element.
    /// - Parameters:
    ///   - name: The name.
    ///   - repetition: The repetition.
    ///   - childCount: The number of children.
    ///   - isList: Whether the group is annotated `LIST`.
    init(group name: String, repetition: ParquetRepetition, childCount: Int, isList: Bool) {
        self.name = name
        physical = nil
        self.repetition = repetition
        self.childCount = childCount
        converted = isList ? .list : nil
        logical = isList ? .list : nil
    }

    /// A leaf element.
    /// - Parameters:
    ///   - name: The name.
    ///   - repetition: The repetition.
    ///   - physical: The physical type.
    ///   - logical: The logical type, written as both annotations.
    init(leaf name: String, repetition: ParquetRepetition, physical: ParquetPhysicalType, logical: ParquetLogicalType) {
        self.name = name
        self.physical = physical
        self.repetition = repetition
        childCount = nil
        switch logical {
        case .none:
            converted = nil
            self.logical = nil
        case .string, .json:
            converted = .utf8
            self.logical = .string
        case .timestampMillis:
            converted = .timestampMillis
            self.logical = .timestampMillisUTC
        case .int8:
            converted = .int8
            self.logical = .signedInteger(bitWidth: 8)
        case .int16:
            converted = .int16
            self.logical = .signedInteger(bitWidth: 16)
        case .int32:
            converted = .int32
            self.logical = .signedInteger(bitWidth: 32)
        case .int64:
            converted = .int64
            self.logical = .signedInteger(bitWidth: 64)
        }
    }
}
