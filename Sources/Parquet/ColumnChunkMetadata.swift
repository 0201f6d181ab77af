/// What the footer records about one column chunk (`ColumnChunk` with its `ColumnMetaData`).
struct ColumnChunkMetadata {
    /// The leaf column.
    let column: ParquetColumnDescriptor
    /// The `Encoding` values used by the chunk's pages (PLAIN 0, PLAIN_DICTIONARY 2, RLE 3).
    let encodings: [Int32]
    /// The `CompressionCodec` value.
    let codec: Int32
    /// The number of level entries, nulls included.
    let valueCount: Int64
    /// The size of all pages, headers included, before compression.
    let uncompressedSize: Int64
    /// The size of all pages, headers included, as written.
    let compressedSize: Int64
    /// The file offset of the first data page.
    let dataPageOffset: Int64
    /// The file offset of the dictionary page, when there is one.
    let dictionaryPageOffset: Int64?
    /// The chunk's statistics.
    let statistics: ColumnStatistics
}
