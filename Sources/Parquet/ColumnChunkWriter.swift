/// Buffers one leaf column of the current row group: the levels and values of the page being filled, and the pages
/// already encoded. A value type, kept in the file writer's unsafe buffer so the hot path has neither reference
/// counting nor exclusivity checks.
///
/// The shredder calls ``addNull(repetition:definition:)`` and the `add` methods for every level entry of a row,
/// then ``endRow()``, which closes a page at the last row boundary once the page would exceed the page size. BYTE_ARRAY
/// values are dictionary-encoded while the dictionary fits the page size; when it would not, the complete rows buffered
/// so far become a dictionary-encoded page and the rest of the chunk is PLAIN. A chunk whose values are mostly
/// distinct drops its dictionary early (see ``addBytes(_:)``).
struct ColumnChunkWriter {
    /// The column.
    let column: ParquetColumnDescriptor
    /// The column's physical type.
    let physical: ParquetPhysicalType
    /// The highest definition level; levels are stored only when it is above 0.
    let maxDefinitionLevel: UInt8
    /// The highest repetition level; levels are stored only when it is above 0.
    let maxRepetitionLevel: UInt8
    /// The bits per definition level.
    let definitionBitWidth: Int
    /// The bits per repetition level.
    let repetitionBitWidth: Int
    /// The largest uncompressed page body, and the largest dictionary, in bytes.
    let pageLimit: Int
    /// Whether each chunk starts in dictionary mode.
    let startsWithDictionary: Bool
    /// The page codec.
    let compressor: PageCompressor

    // MARK: Page being filled

    /// Repetition levels of the page (empty when the column is not repeated).
    var repetitionLevels: [UInt8] = []
    /// Definition levels of the page (empty when the column is required all the way down).
    var definitionLevels: [UInt8] = []
    /// Level entries in the page, nulls included.
    var levelCount = 0
    /// Values in the page (non-null entries).
    var valueCount = 0
    /// BOOLEAN values.
    var booleans: [Bool] = []
    /// INT32 values.
    var int32s: [Int32] = []
    /// INT64 values.
    var int64s: [Int64] = []
    /// FLOAT values.
    var floats: [Float] = []
    /// DOUBLE values.
    var doubles: [Double] = []
    /// BYTE_ARRAY values in PLAIN mode, PLAIN-encoded.
    var plainBytes: [UInt8] = []
    /// BYTE_ARRAY values in dictionary mode, as dictionary indices.
    var indices: [UInt32] = []
    /// The buffer the last page body was encoded in, kept for its capacity.
    var pageBody: [UInt8] = []
    /// Level entries before the current row.
    var rowLevelMark = 0
    /// Values before the current row.
    var rowValueMark = 0
    /// PLAIN bytes before the current row.
    var rowByteMark = 0

    // MARK: Chunk

    /// The chunk's dictionary.
    var dictionary = ByteArrayDictionary()
    /// Whether BYTE_ARRAY values go to the dictionary.
    var isDictionaryMode: Bool
    /// Data pages written with dictionary indices.
    var dictionaryPageCount = 0
    /// Values looked up in the dictionary in this chunk.
    var dictionaryLookups = 0
    /// Whether this chunk's dictionary has been judged (see ``addBytes(_:)``).
    var isDictionaryJudged = false
    /// Data pages written PLAIN.
    var plainPageCount = 0
    /// The encoded data pages (headers and compressed bodies).
    var pages: [UInt8] = []
    /// The size of the data pages with uncompressed bodies.
    var uncompressedPagesSize = 0
    /// Level entries written to pages.
    var chunkLevelCount: Int64 = 0
    /// Statistics merged from the written pages.
    var statistics = ColumnStatistics()

    /// Creates the writer of one column.
    /// - Parameters:
    ///   - column: The column.
    ///   - options: The file's options (page size, dictionary).
    ///   - compressor: The page codec, shared by the file's columns.
    init(column: ParquetColumnDescriptor, options: ParquetWriterOptions, compressor: PageCompressor) {
        self.column = column
        physical = column.physical
        maxDefinitionLevel = UInt8(column.maxDefinitionLevel)
        maxRepetitionLevel = UInt8(column.maxRepetitionLevel)
        definitionBitWidth = RLEHybridEncoder.bitWidth(forMaximum: column.maxDefinitionLevel)
        repetitionBitWidth = RLEHybridEncoder.bitWidth(forMaximum: column.maxRepetitionLevel)
        pageLimit = max(options.dataPageSize, 1024)
        startsWithDictionary = options.dictionary && column.physical == .byteArray
        isDictionaryMode = startsWithDictionary
        self.compressor = compressor
    }

    // MARK: - Adding entries

    /// Adds a level entry without a value.
    /// - Parameters:
    ///   - repetition: The repetition level.
    ///   - definition: The definition level (below the maximum).
    @inline(__always)
    mutating func addNull(repetition: Int, definition: Int) {
        if maxRepetitionLevel > 0 { repetitionLevels.append(UInt8(truncatingIfNeeded: repetition)) }
        if maxDefinitionLevel > 0 { definitionLevels.append(UInt8(truncatingIfNeeded: definition)) }
        levelCount += 1
    }

    /// Adds a level entry with a value (at the maximum definition level).
    /// - Parameters:
    ///   - repetition: The repetition level.
    ///   - value: A value already checked against the column's type.
    mutating func add(repetition: Int, value: ParquetValue) {
        if maxRepetitionLevel > 0 { repetitionLevels.append(UInt8(truncatingIfNeeded: repetition)) }
        if maxDefinitionLevel > 0 { definitionLevels.append(maxDefinitionLevel) }
        levelCount += 1
        valueCount += 1
        switch value {
        case .bool(let flag): booleans.append(flag)
        case .int32(let number):
            if physical == .int64 { int64s.append(Int64(number)) } else { int32s.append(number) }
        case .int64(let number): int64s.append(number)
        case .float(let number):
            if physical == .double { doubles.append(Double(number)) } else { floats.append(number) }
        case .double(let number): doubles.append(number)
        case .bytes(let bytes): bytes.withUnsafeBytes { addBytes($0) }
        case .null, .group, .list: preconditionFailure("the row was validated")
        }
    }

    /// Adds a BYTE_ARRAY value to the dictionary or the PLAIN buffer.
    ///
    /// Once the dictionary of a chunk reaches a sixteenth of the page size, it is judged: when more than half of the
    /// values so far were distinct, the dictionary is not worth its cost (ids, free text) and the chunk is PLAIN.
    private mutating func addBytes(_ bytes: UnsafeRawBufferPointer) {
        if isDictionaryMode {
            if let index = dictionary.index(of: bytes, limit: pageLimit) {
                indices.append(index)
                dictionaryLookups += 1
                if !isDictionaryJudged && dictionary.plainBody.count > pageLimit / 16 {
                    isDictionaryJudged = true
                    if dictionaryPageCount == 0 && dictionary.count * 2 > dictionaryLookups { abandonDictionary() }
                }
                return
            }
            fallBackToPlain()
        }
        Self.appendPlain(bytes, to: &plainBytes)
    }

    /// Turns the page being filled into PLAIN and drops the dictionary (no page has used it yet).
    private mutating func abandonDictionary() {
        for (position, index) in indices.enumerated() {
            if position == rowValueMark { rowByteMark = plainBytes.count }
            dictionary.withEntry(Int(index)) { Self.appendPlain($0, to: &plainBytes) }
        }
        if rowValueMark == indices.count { rowByteMark = plainBytes.count }
        indices.removeAll()
        dictionary = ByteArrayDictionary()
        isDictionaryMode = false
    }

    /// Leaves dictionary mode for the rest of the chunk: the complete rows of the page being filled are written as
    /// a dictionary-encoded page, and the current row's values so far are turned into PLAIN.
    private mutating func fallBackToPlain() {
        if rowLevelMark > 0 {
            writePage(levels: rowLevelMark, values: rowValueMark, plainByteCount: 0)
        }
        for index in indices {
            dictionary.withEntry(Int(index)) { Self.appendPlain($0, to: &plainBytes) }
        }
        indices.removeAll()
        isDictionaryMode = false
    }

    /// Appends a 4-byte little-endian length and the bytes.
    static func appendPlain(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        let length = UInt32(bytes.count)
        output.append(UInt8(truncatingIfNeeded: length))
        output.append(UInt8(truncatingIfNeeded: length >> 8))
        output.append(UInt8(truncatingIfNeeded: length >> 16))
        output.append(UInt8(truncatingIfNeeded: length >> 24))
        output.append(contentsOf: bytes)
    }

    // MARK: - Row boundaries

    /// Removes what the current (refused) row added since the last ``endRow()``.
    ///
    /// Pages are written only at row ends or, on a dictionary fallback, up to the row start, so everything after the
    /// row marks belongs to the current row. Dictionary entries it added stay (unused entries are harmless).
    mutating func discardRow() {
        func truncate<Element>(_ array: inout [Element], to count: Int) {
            if array.count > count { array.removeSubrange(count...) }
        }
        truncate(&repetitionLevels, to: rowLevelMark)
        truncate(&definitionLevels, to: rowLevelMark)
        levelCount = rowLevelMark
        valueCount = rowValueMark
        switch physical {
        case .boolean: truncate(&booleans, to: rowValueMark)
        case .int32: truncate(&int32s, to: rowValueMark)
        case .int64: truncate(&int64s, to: rowValueMark)
        case .float: truncate(&floats, to: rowValueMark)
        case .double: truncate(&doubles, to: rowValueMark)
        case .byteArray:
            truncate(&indices, to: isDictionaryMode ? rowValueMark : 0)
            truncate(&plainBytes, to: rowByteMark)
        }
    }

    /// Marks the end of a row; writes a page when the page being filled would exceed the page size.
    ///
    /// The page written is everything before this row (which fitted when the previous row ended); a row that alone
    /// exceeds the page size is written as a page of its own.
    mutating func endRow() {
        if estimatedPageSize > pageLimit {
            if rowLevelMark > 0 {
                writePage(levels: rowLevelMark, values: rowValueMark, plainByteCount: rowByteMark)
            }
            if estimatedPageSize > pageLimit {
                writePage(levels: levelCount, values: valueCount, plainByteCount: plainBytes.count)
            }
        }
        rowLevelMark = levelCount
        rowValueMark = valueCount
        rowByteMark = plainBytes.count
    }

    /// An upper bound of the uncompressed body of the page being filled, in bytes.
    var estimatedPageSize: Int {
        Self.levelsBound(levelCount, bitWidth: repetitionBitWidth)
            + Self.levelsBound(levelCount, bitWidth: definitionBitWidth) + valuesSize
    }

    /// The bytes buffered for the row group: written pages, the page being filled, and the dictionary.
    var bufferedSize: Int {
        pages.count + estimatedPageSize + (dictionaryPageCount > 0 || isDictionaryMode ? dictionary.plainBody.count : 0)
    }

    /// The size of the page's values (an upper bound for dictionary indices).
    private var valuesSize: Int {
        switch physical {
        case .boolean: (valueCount + 7) / 8
        case .int32, .float: valueCount * 4
        case .int64, .double: valueCount * 8
        case .byteArray:
            isDictionaryMode
                ? 1 + Self.levelsBound(valueCount, bitWidth: dictionaryBitWidth) : plainBytes.count
        }
    }

    /// The bits per dictionary index for the current dictionary (at least 1).
    var dictionaryBitWidth: Int {
        max(1, RLEHybridEncoder.bitWidth(forMaximum: dictionary.count - 1))
    }

    /// An upper bound of an RLE/bit-packed hybrid block of `count` values: a run header and at most one extra bit
    /// per value beyond the bit width, plus the 4-byte length prefix. Zero when there are no levels.
    static func levelsBound(_ count: Int, bitWidth: Int) -> Int {
        bitWidth == 0 ? 0 : 4 + 16 + (count * (bitWidth + 2) + 7) / 8
    }
}
