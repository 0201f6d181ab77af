/// Page and chunk encoding (https://github.com/apache/parquet-format/blob/master/README.md, "Data Pages"; v1 pages).
extension ColumnChunkWriter {
    /// `Encoding` values.
    enum Encoding {
        /// PLAIN.
        static let plain: Int32 = 0
        /// PLAIN_DICTIONARY: the dictionary page and the indices of v1 data pages, as parquet-java's v1 writer uses.
        static let plainDictionary: Int32 = 2
        /// RLE (the hybrid), for levels.
        static let rle: Int32 = 3
    }

    /// `PageType` values.
    enum PageType {
        /// DATA_PAGE (v1).
        static let dataPage: Int32 = 0
        /// DICTIONARY_PAGE.
        static let dictionaryPage: Int32 = 2
    }

    /// Encodes, compresses and stores a data page of the first entries of the page being filled, and removes them.
    /// - Parameters:
    ///   - levels: The number of level entries to write.
    ///   - values: The number of values among them.
    ///   - plainByteCount: The PLAIN bytes of those values (PLAIN byte-array mode only).
    mutating func writePage(levels: Int, values: Int, plainByteCount: Int) {
        // Reuse the previous page's body buffer (its capacity), then hand it back at the end.
        var body: [UInt8] = []
        swap(&body, &pageBody)
        body.removeAll(keepingCapacity: true)
        body.reserveCapacity(estimatedPageSize)
        if maxRepetitionLevel > 0 {
            Self.appendLevels(repetitionLevels, count: levels, bitWidth: repetitionBitWidth, to: &body)
        }
        if maxDefinitionLevel > 0 {
            Self.appendLevels(definitionLevels, count: levels, bitWidth: definitionBitWidth, to: &body)
        }
        let usesDictionary = physical == .byteArray && isDictionaryMode
        appendValues(count: values, plainByteCount: plainByteCount, usesDictionary: usesDictionary, to: &body)
        var pageStatistics = statistics(values: values, usesDictionary: usesDictionary, plainByteCount: plainByteCount)
        pageStatistics.nullCount = Int64(levels - values)
        precondition(body.count <= Int(Int32.max), "a Parquet page body must stay below 2 GiB")
        compressor.withCompressed(body) { compressed in
            appendDataPage(body: body, compressed: compressed, levels: levels, usesDictionary: usesDictionary,
                           statistics: pageStatistics)
        }
        pageBody = body
        chunkLevelCount += Int64(levels)
        statistics.merge(pageStatistics, physical: physical)
        if usesDictionary { dictionaryPageCount += 1 } else { plainPageCount += 1 }
        removeFirst(levels: levels, values: values, plainByteCount: plainByteCount)
    }

    /// Appends a data page header and the compressed body to the chunk's pages.
    private mutating func appendDataPage(
        body: [UInt8], compressed: UnsafeRawBufferPointer, levels: Int, usesDictionary: Bool,
        statistics pageStatistics: ColumnStatistics
    ) {
        var header = ThriftCompactWriter()
        header.beginStruct()
        header.i32(field: 1, PageType.dataPage)
        header.i32(field: 2, Int32(body.count))
        header.i32(field: 3, Int32(compressed.count))
        header.beginStruct(field: 5)
        header.i32(field: 1, Int32(levels))
        header.i32(field: 2, usesDictionary ? Encoding.plainDictionary : Encoding.plain)
        header.i32(field: 3, Encoding.rle)
        header.i32(field: 4, Encoding.rle)
        pageStatistics.write(field: 5, physical: physical, into: &header)
        header.endStruct()
        header.endStruct()

        pages.append(contentsOf: header.bytes)
        pages.append(contentsOf: compressed)
        uncompressedPagesSize += header.bytes.count + body.count
    }

    /// Appends a v1 level block: a 4-byte little-endian length and the hybrid encoding.
    private static func appendLevels(_ levels: [UInt8], count: Int, bitWidth: Int, to body: inout [UInt8]) {
        let start = body.count
        body.append(contentsOf: [0, 0, 0, 0])
        levels.withUnsafeBufferPointer { buffer in
            RLEHybridEncoder.encode(UnsafeBufferPointer(rebasing: buffer[0..<count]), bitWidth: bitWidth, into: &body)
        }
        let length = UInt32(body.count - start - 4)
        for index in 0..<4 { body[start + index] = UInt8(truncatingIfNeeded: length >> (index * 8)) }
    }

    /// Appends the first `count` values, PLAIN or as dictionary indices (a bit-width byte and the hybrid encoding).
    private func appendValues(count: Int, plainByteCount: Int, usesDictionary: Bool, to body: inout [UInt8]) {
        switch physical {
        case .boolean:
            var byte: UInt8 = 0
            for index in 0..<count {
                if booleans[index] { byte |= 1 << UInt8(index % 8) }
                if index % 8 == 7 {
                    body.append(byte)
                    byte = 0
                }
            }
            if count % 8 != 0 { body.append(byte) }
        case .int32: int32s.withUnsafeBytes { body.append(contentsOf: $0[0..<(count * 4)]) }
        case .int64: int64s.withUnsafeBytes { body.append(contentsOf: $0[0..<(count * 8)]) }
        case .float: floats.withUnsafeBytes { body.append(contentsOf: $0[0..<(count * 4)]) }
        case .double: doubles.withUnsafeBytes { body.append(contentsOf: $0[0..<(count * 8)]) }
        case .byteArray:
            if usesDictionary {
                let bitWidth = dictionaryBitWidth
                body.append(UInt8(bitWidth))
                indices.withUnsafeBufferPointer { buffer in
                    RLEHybridEncoder.encode(
                        UnsafeBufferPointer(rebasing: buffer[0..<count]), bitWidth: bitWidth, into: &body)
                }
            } else {
                plainBytes.withUnsafeBytes { body.append(contentsOf: $0[0..<plainByteCount]) }
            }
        }
    }

    /// Drops the entries just written from the page being filled and moves the row marks with them.
    private mutating func removeFirst(levels: Int, values: Int, plainByteCount: Int) {
        func drop<Element>(_ array: inout [Element], _ count: Int) {
            if count >= array.count {
                array.removeAll(keepingCapacity: true)
            } else if count > 0 {
                array.removeFirst(count)
            }
        }
        drop(&repetitionLevels, levels)
        drop(&definitionLevels, levels)
        switch physical {
        case .boolean: drop(&booleans, values)
        case .int32: drop(&int32s, values)
        case .int64: drop(&int64s, values)
        case .float: drop(&floats, values)
        case .double: drop(&doubles, values)
        case .byteArray:
            drop(&indices, isDictionaryMode ? values : 0)
            drop(&plainBytes, plainByteCount)
        }
        levelCount -= levels
        valueCount -= values
        rowLevelMark = max(0, rowLevelMark - levels)
        rowValueMark = max(0, rowValueMark - values)
        rowByteMark = max(0, rowByteMark - plainByteCount)
    }

    /// Writes the remaining entries as a last page and appends the whole chunk (dictionary page first) to a file.
    /// - Parameter file: The file being written; the chunk is appended at its end.
    /// - Returns: The chunk's footer metadata.
    mutating func finishChunk(into file: inout [UInt8]) -> ColumnChunkMetadata {
        if levelCount > 0 {
            writePage(levels: levelCount, values: valueCount, plainByteCount: plainBytes.count)
        }
        let start = file.count
        var uncompressedSize = uncompressedPagesSize
        var dictionaryOffset: Int64?
        if dictionaryPageCount > 0 {
            let body = dictionary.plainBody
            let entryCount = Int32(dictionary.count)
            let headerSize = compressor.withCompressed(body) { compressed in
                var header = ThriftCompactWriter()
                header.beginStruct()
                header.i32(field: 1, PageType.dictionaryPage)
                header.i32(field: 2, Int32(body.count))
                header.i32(field: 3, Int32(compressed.count))
                header.beginStruct(field: 7)
                header.i32(field: 1, entryCount)
                header.i32(field: 2, Encoding.plainDictionary)
                header.endStruct()
                header.endStruct()
                file.append(contentsOf: header.bytes)
                file.append(contentsOf: compressed)
                return header.bytes.count
            }
            dictionaryOffset = Int64(start)
            uncompressedSize += headerSize + body.count
        }
        let dataOffset = file.count
        file.append(contentsOf: pages)
        var encodings: [Int32] = []
        if dictionaryPageCount > 0 { encodings.append(Encoding.plainDictionary) }
        if plainPageCount > 0 || dictionaryPageCount == 0 { encodings.append(Encoding.plain) }
        encodings.append(Encoding.rle)
        let metadata = ColumnChunkMetadata(
            column: column, encodings: encodings, codec: compressor.codec, valueCount: chunkLevelCount,
            uncompressedSize: Int64(uncompressedSize), compressedSize: Int64(file.count - start),
            dataPageOffset: Int64(dataOffset), dictionaryPageOffset: dictionaryOffset, statistics: statistics)
        resetChunk()
        return metadata
    }

    /// Starts a new chunk: no pages, an empty dictionary, dictionary mode if enabled.
    private mutating func resetChunk() {
        pages = []
        uncompressedPagesSize = 0
        chunkLevelCount = 0
        statistics = ColumnStatistics()
        dictionary = ByteArrayDictionary()
        isDictionaryMode = startsWithDictionary
        dictionaryPageCount = 0
        dictionaryLookups = 0
        isDictionaryJudged = false
        plainPageCount = 0
        rowLevelMark = 0
        rowValueMark = 0
        rowByteMark = 0
    }
}
