/// A leaf column: its place in the schema and the levels the shredder gives it.
struct ParquetColumnDescriptor: Sendable {
    /// The names from the root's child down to the leaf, as written in `path_in_schema`.
    let path: [String]
    /// The physical type.
    let physical: ParquetPhysicalType
    /// The logical type.
    let logical: ParquetLogicalType
    /// The highest definition level (the number of optional or repeated fields on the path, the leaf included).
    let maxDefinitionLevel: Int
    /// The highest repetition level (the number of repeated fields on the path).
    let maxRepetitionLevel: Int
}
