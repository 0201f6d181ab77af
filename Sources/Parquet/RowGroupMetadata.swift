/// What the footer records about one row group.
struct RowGroupMetadata {
    /// One chunk per leaf column, in schema order.
    let columns: [ColumnChunkMetadata]
    /// The number of rows.
    let rowCount: Int64
    /// The file offset of the first page of the first column.
    let fileOffset: Int64
}
