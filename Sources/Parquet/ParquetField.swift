/// One field of a ``ParquetSchema``: a leaf column, a group of fields, or a 3-level LIST.
public indirect enum ParquetField: Sendable {
    /// A leaf column.
    /// - Parameters:
    ///   - name: The column name (non-empty, unique among its siblings).
    ///   - repetition: Required, optional, or repeated (a bare repeated leaf takes `.list` values).
    ///   - type: The physical type.
    ///   - logical: The annotation; see ``ParquetLogicalType`` for the allowed pairs.
    case primitive(name: String, repetition: ParquetRepetition, type: ParquetPhysicalType, logical: ParquetLogicalType)
    /// A struct of at least one field; its value is a `.group` with one value per field, in order.
    case group(name: String, repetition: ParquetRepetition, fields: [ParquetField])
    /// A 3-level LIST; `element` is the element field (its name is ignored, written as `element`).
    ///
    /// Written as `<repetition> group <name> (LIST) { repeated group list { <element> element } }`; `repetition`
    /// must not be `.repeated` and the element must be `.required` or `.optional`. Its value is a `.list`.
    case list(name: String, repetition: ParquetRepetition, element: ParquetField)

    /// The field's name.
    public var name: String {
        switch self {
        case .primitive(let name, _, _, _), .group(let name, _, _), .list(let name, _, _): name
        }
    }

    /// The field's repetition.
    public var repetition: ParquetRepetition {
        switch self {
        case .primitive(_, let repetition, _, _), .group(_, let repetition, _), .list(_, let repetition, _):
            repetition
        }
    }
}
