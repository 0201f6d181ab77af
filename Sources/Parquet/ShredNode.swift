/// One field of the schema as the record shredder walks it; a trivial value, so the walk copies no references.
///
/// A `.list` field stands for three schema elements (the LIST group, the repeated `list` group and `element`); its
/// levels are folded in here: the LIST group is present at ``definedLevel``, an element exists at
/// `definedLevel + 1` and repeats at ``repeatLevel``.
struct ShredNode: Sendable {
    /// What kind of field this is.
    enum Kind: UInt8, Sendable {
        /// A leaf: its column is `columns.lowerBound`.
        case leaf
        /// A group: its fields' node indices are `ParquetSchema.childIndices[children]`.
        case group
        /// A 3-level LIST: its element's node index is `ParquetSchema.childIndices[children.lowerBound]`.
        case list
    }

    /// What kind of field this is.
    let kind: Kind
    /// How the field repeats.
    let repetition: ParquetRepetition
    /// The definition level of the field's leaves when the field is present (non-null; for a repeated field, when
    /// it has at least one value).
    let definedLevel: Int
    /// For a repeated field or a LIST, the repetition level of its second and later elements; otherwise the
    /// repetition level inherited from the nearest repeated ancestor.
    let repeatLevel: Int
    /// The leaf columns under the field.
    let columns: Range<Int>
    /// Where the node indices of the field's children are in `ParquetSchema.childIndices` (empty for leaves).
    let children: Range<Int>
    /// For a leaf, the physical type.
    let physical: ParquetPhysicalType
    /// For a leaf, the logical type.
    let logical: ParquetLogicalType
}
