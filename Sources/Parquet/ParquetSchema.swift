/// A validated Parquet schema: the top-level fields of a file, in column order.
///
/// Validation (``init(fields:)``) refuses what readers reject or misread: empty or duplicate sibling names, groups
/// without fields (pyarrow: "Cannot write struct type … with no child field"), logical types on the wrong physical
/// type, repeated LISTs or list elements, and nesting deeper than 100 levels.
public struct ParquetSchema: Sendable {
    /// The deepest nesting accepted, so that definition and repetition levels fit in a byte.
    static let maximumDepth = 100

    /// The top-level fields, as given.
    public let fields: [ParquetField]
    /// The shredding tree: one node per field (lists included, their synthetic levels folded in).
    let nodes: [ShredNode]
    /// The error-message path of each node.
    let nodePaths: [String]
    /// The children's node indices of groups and lists (see ``ShredNode/children``).
    let childIndices: [Int]
    /// The node indices of the top-level fields.
    let rootNodes: [Int]
    /// The leaf columns in file order.
    let columns: [ParquetColumnDescriptor]
    /// The footer's schema elements, depth first, root first.
    let elements: [ParquetSchemaElement]

    /// Validates the fields and prepares the column layout.
    /// - Parameter fields: The top-level fields (at least one).
    /// - Throws: ``ParquetError`` with code ``ParquetError/Code/invalidSchema`` naming the offending field.
    public init(fields: [ParquetField]) throws(ParquetError) {
        guard !fields.isEmpty else {
            throw ParquetError(code: .invalidSchema, message: "a schema needs at least one field")
        }
        var builder = ParquetSchemaBuilder()
        rootNodes = try builder.addFields(fields, parent: .root)
        self.fields = fields
        nodes = builder.nodes
        nodePaths = builder.paths
        childIndices = builder.childIndices
        columns = builder.columns
        elements = [ParquetSchemaElement(root: fields.count)] + builder.elements
    }

    /// The number of leaf columns (column chunks per row group).
    public var columnCount: Int { columns.count }

    /// The dotted path of every leaf column as written in `path_in_schema`, in file order (for example
    /// `secberus_compliance.list.element.framework_id`).
    public var columnPaths: [String] { columns.map { $0.path.joined(separator: ".") } }
}
