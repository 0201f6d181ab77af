/// The file footer: `FileMetaData` in the Thrift compact protocol.
///
/// Field ids follow https://github.com/apache/parquet-format/blob/master/src/main/thrift/parquet.thrift.
enum ParquetFooter {
    /// Encodes the footer.
    /// - Parameters:
    ///   - schema: The schema.
    ///   - rowGroups: The row groups, in file order.
    ///   - options: The options (key-value metadata, `created_by`).
    /// - Returns: The `FileMetaData` bytes (without the length and magic that follow them).
    static func encode(schema: ParquetSchema, rowGroups: [RowGroupMetadata], options: ParquetWriterOptions) -> [UInt8] {
        var thrift = ThriftCompactWriter()
        thrift.beginStruct()
        thrift.i32(field: 1, 1)
        thrift.beginList(field: 2, elementType: .structure, count: schema.elements.count)
        for element in schema.elements { writeSchemaElement(element, into: &thrift) }
        thrift.i64(field: 3, rowGroups.reduce(0) { $0 + $1.rowCount })
        thrift.beginList(field: 4, elementType: .structure, count: rowGroups.count)
        for rowGroup in rowGroups { writeRowGroup(rowGroup, into: &thrift) }
        if !options.keyValueMetadata.isEmpty {
            thrift.beginList(field: 5, elementType: .structure, count: options.keyValueMetadata.count)
            for (key, value) in options.keyValueMetadata {
                thrift.beginStruct()
                thrift.string(field: 1, key)
                thrift.string(field: 2, value)
                thrift.endStruct()
            }
        }
        thrift.string(field: 6, options.createdBy)
        // ColumnOrder union, TYPE_ORDER (1) for every leaf: min_value/max_value follow the type-defined order.
        thrift.beginList(field: 7, elementType: .structure, count: schema.columns.count)
        for _ in schema.columns {
            thrift.beginStruct()
            thrift.emptyStruct(field: 1)
            thrift.endStruct()
        }
        thrift.endStruct()
        return thrift.bytes
    }

    /// The `Type` enum value of a physical type.
    static func typeValue(_ physical: ParquetPhysicalType) -> Int32 {
        switch physical {
        case .boolean: 0
        case .int32: 1
        case .int64: 2
        case .float: 4
        case .double: 5
        case .byteArray: 6
        }
    }

    /// The `FieldRepetitionType` enum value of a repetition.
    static func repetitionValue(_ repetition: ParquetRepetition) -> Int32 {
        switch repetition {
        case .required: 0
        case .optional: 1
        case .repeated: 2
        }
    }

    /// Writes a `SchemaElement` list element.
    private static func writeSchemaElement(_ element: ParquetSchemaElement, into thrift: inout ThriftCompactWriter) {
        thrift.beginStruct()
        if let physical = element.physical { thrift.i32(field: 1, typeValue(physical)) }
        if let repetition = element.repetition { thrift.i32(field: 3, repetitionValue(repetition)) }
        thrift.string(field: 4, element.name)
        if let childCount = element.childCount { thrift.i32(field: 5, Int32(childCount)) }
        if let converted = element.converted { thrift.i32(field: 6, converted.rawValue) }
        if let logical = element.logical {
            thrift.beginStruct(field: 10)
            switch logical {
            case .string:
                thrift.emptyStruct(field: 1)
            case .list:
                thrift.emptyStruct(field: 3)
            case .timestampMillisUTC:
                thrift.beginStruct(field: 8)
                thrift.bool(field: 1, true)
                thrift.beginStruct(field: 2)
                thrift.emptyStruct(field: 1)
                thrift.endStruct()
                thrift.endStruct()
            case .signedInteger(let bitWidth):
                thrift.beginStruct(field: 10)
                thrift.byte(field: 1, bitWidth)
                thrift.bool(field: 2, true)
                thrift.endStruct()
            }
            thrift.endStruct()
        }
        thrift.endStruct()
    }

    /// Writes a `RowGroup` list element.
    private static func writeRowGroup(_ rowGroup: RowGroupMetadata, into thrift: inout ThriftCompactWriter) {
        thrift.beginStruct()
        thrift.beginList(field: 1, elementType: .structure, count: rowGroup.columns.count)
        for chunk in rowGroup.columns { writeColumnChunk(chunk, into: &thrift) }
        thrift.i64(field: 2, rowGroup.columns.reduce(0) { $0 + $1.uncompressedSize })
        thrift.i64(field: 3, rowGroup.rowCount)
        thrift.i64(field: 5, rowGroup.fileOffset)
        thrift.i64(field: 6, rowGroup.columns.reduce(0) { $0 + $1.compressedSize })
        thrift.endStruct()
    }

    /// Writes a `ColumnChunk` list element with its `ColumnMetaData`.
    private static func writeColumnChunk(_ chunk: ColumnChunkMetadata, into thrift: inout ThriftCompactWriter) {
        thrift.beginStruct()
        // file_offset is deprecated; the spec asks writers to set it to 0.
        thrift.i64(field: 2, 0)
        thrift.beginStruct(field: 3)
        thrift.i32(field: 1, typeValue(chunk.column.physical))
        thrift.beginList(field: 2, elementType: .i32, count: chunk.encodings.count)
        for encoding in chunk.encodings { thrift.i32Element(encoding) }
        thrift.beginList(field: 3, elementType: .binary, count: chunk.column.path.count)
        for name in chunk.column.path { thrift.stringElement(name) }
        thrift.i32(field: 4, chunk.codec)
        thrift.i64(field: 5, chunk.valueCount)
        thrift.i64(field: 6, chunk.uncompressedSize)
        thrift.i64(field: 7, chunk.compressedSize)
        thrift.i64(field: 9, chunk.dataPageOffset)
        if let dictionaryOffset = chunk.dictionaryPageOffset { thrift.i64(field: 11, dictionaryOffset) }
        chunk.statistics.write(field: 12, physical: chunk.column.physical, into: &thrift)
        thrift.endStruct()
        thrift.endStruct()
    }
}
