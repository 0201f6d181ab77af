/// Writes one Parquet file in memory: rows in, the whole file out.
///
/// Rows are checked against the schema as they are shredded, and a refused row is taken back out of every column, so
/// it leaves no trace. Rows are
/// shredded into leaf columns (Dremel record shredding: repetition and definition levels), buffered as v1 data
/// pages of at most ``ParquetWriterOptions/dataPageSize`` uncompressed bytes cut at row boundaries, compressed, and
/// grouped into row groups of about ``ParquetWriterOptions/rowGroupSize`` bytes. The footer carries min/max
/// statistics and null counts per column chunk (and per page), `TypeDefinedOrder` column orders, `created_by` and
/// the key-value metadata.
///
/// - Note: Byte-array bounds longer than 64 bytes are truncated to shorter valid bounds, flagged
///   `is_min_value_exact` / `is_max_value_exact` = false. The whole file is held in memory until ``finish()``.
///
/// Not thread-safe: use one writer per file.
public final class ParquetFileWriter {
    /// The schema rows are checked against.
    public let schema: ParquetSchema
    /// The options the writer was created with.
    public let options: ParquetWriterOptions
    /// The number of rows accepted so far.
    public private(set) var rowCount = 0

    /// The file so far: the magic and the finished row groups.
    private var file: [UInt8] = Array("PAR1".utf8)
    /// One writer per leaf column, owned by this object.
    let columnWriters: UnsafeMutableBufferPointer<ColumnChunkWriter>
    /// The schema's shredding nodes, copied so the hot path reads them without reference counting.
    let nodes: UnsafeMutableBufferPointer<ShredNode>
    /// The schema's child index runs, copied likewise.
    let childIndices: UnsafeMutableBufferPointer<Int>
    /// The finished row groups.
    private var rowGroups: [RowGroupMetadata] = []
    /// Rows in the row group being filled.
    private var rowGroupRowCount = 0
    /// The row-group size actually used.
    private let rowGroupLimit: Int
    /// Whether ``finish()`` has been called.
    private var isFinished = false

    /// Creates a writer for one file.
    /// - Parameters:
    ///   - schema: The file's schema.
    ///   - options: Compression, page and row-group sizes, dictionary, footer metadata. Default:
    ///     ``ParquetWriterOptions/init()``.
    public init(schema: ParquetSchema, options: ParquetWriterOptions = .init()) {
        self.schema = schema
        self.options = options
        let compressor = PageCompressor(options.compression)
        columnWriters = .allocate(capacity: schema.columns.count)
        _ = columnWriters.initialize(from: schema.columns.map {
            ColumnChunkWriter(column: $0, options: options, compressor: compressor)
        })
        nodes = .allocate(capacity: schema.nodes.count)
        _ = nodes.initialize(from: schema.nodes)
        childIndices = .allocate(capacity: max(1, schema.childIndices.count))
        _ = childIndices.initialize(from: schema.childIndices)
        rowGroupLimit = max(options.rowGroupSize, 1024)
    }

    deinit {
        columnWriters.deinitialize().deallocate()
        nodes.deinitialize().deallocate()
        childIndices.deallocate()
    }

    /// Adds one row.
    /// - Parameter row: One value per top-level field, in schema order.
    /// - Throws: ``ParquetError`` naming the column path when the row does not match the schema (nothing of the row
    ///   is written): ``ParquetError/Code/fieldCountMismatch``, ``ParquetError/Code/missingRequiredValue``,
    ///   ``ParquetError/Code/typeMismatch``, ``ParquetError/Code/valueOutOfRange``, ``ParquetError/Code/tooLarge``;
    ///   or ``ParquetError/Code/alreadyFinished``.
    public func append(row: [ParquetValue]) throws(ParquetError) {
        guard !isFinished else { throw ParquetError(code: .alreadyFinished, message: "the file is already finished") }
        guard row.count == schema.rootNodes.count else {
            throw ParquetError(
                code: .fieldCountMismatch,
                message: "the row has \(row.count) values but the schema has \(schema.rootNodes.count) fields")
        }
        do {
            for (index, value) in row.enumerated() {
                try shred(node: schema.rootNodes[index], value, repetition: 0, parentDefinition: 0)
            }
        } catch {
            for column in columnWriters.indices { columnWriters[column].discardRow() }
            throw error
        }
        var buffered = 0
        for column in columnWriters.indices {
            columnWriters[column].endRow()
            buffered += columnWriters[column].bufferedSize
        }
        rowCount += 1
        rowGroupRowCount += 1
        if buffered >= rowGroupLimit { closeRowGroup() }
    }

    /// Ends the file and returns it.
    /// - Returns: The whole file: `PAR1`, the row groups, the footer, its 4-byte little-endian length and `PAR1`.
    /// - Throws: ``ParquetError/Code/alreadyFinished`` when called twice.
    public func finish() throws(ParquetError) -> [UInt8] {
        guard !isFinished else { throw ParquetError(code: .alreadyFinished, message: "the file is already finished") }
        isFinished = true
        if rowGroupRowCount > 0 { closeRowGroup() }
        let footer = ParquetFooter.encode(schema: schema, rowGroups: rowGroups, options: options)
        file.append(contentsOf: footer)
        let length = UInt32(footer.count)
        for index in 0..<4 { file.append(UInt8(truncatingIfNeeded: length >> (index * 8))) }
        file.append(contentsOf: Array("PAR1".utf8))
        defer { file = [] }
        return file
    }

    /// Writes every column chunk of the row group being filled to the file.
    private func closeRowGroup() {
        let offset = Int64(file.count)
        var chunks: [ColumnChunkMetadata] = []
        for column in columnWriters.indices {
            chunks.append(columnWriters[column].finishChunk(into: &file))
        }
        rowGroups.append(RowGroupMetadata(columns: chunks, rowCount: Int64(rowGroupRowCount), fileOffset: offset))
        rowGroupRowCount = 0
    }
}
