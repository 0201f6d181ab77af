/// Dremel record shredding with validation on the way
/// (https://github.com/apache/parquet-format/blob/master/README.md, "Nested Encoding").
///
/// A value at a field contributes to every leaf under it:
/// - `.null` (or an empty list) gives each leaf one entry at the parent's definition level;
/// - a present value descends, its leaves reaching the field's ``ShredNode/definedLevel``;
/// - list elements after the first start at the list's ``ShredNode/repeatLevel`` instead of the inherited one.
///
/// Values are checked as they are shredded; when a check fails, ``ParquetFileWriter/append(row:)`` discards what the
/// row had added to every column (``ColumnChunkWriter/discardRow()``), so a refused row leaves no trace.
extension ParquetFileWriter {
    /// Checks and shreds a value into the leaf columns under a field.
    /// - Parameters:
    ///   - index: The field's node index.
    ///   - value: The value.
    ///   - repetition: The repetition level of the value's first entry.
    ///   - parentDefinition: The definition level of the parent (what a null here records).
    /// - Throws: ``ParquetError`` naming the field's path.
    func shred(node index: Int, _ value: ParquetValue, repetition: Int, parentDefinition: Int) throws(ParquetError) {
        let node = nodes[index]
        if case .null = value {
            guard node.repetition != .required else {
                throw ParquetError(code: .missingRequiredValue, message: "\(path(index)) is required but null")
            }
            writeNulls(node.columns, repetition: repetition, definition: parentDefinition)
            return
        }
        guard node.repetition == .repeated else {
            try shredPresent(index, node, value, repetition: repetition)
            return
        }
        guard case .list(let items) = value else { throw mismatch(index, expected: "a list (repeated field)", value) }
        if items.isEmpty {
            writeNulls(node.columns, repetition: repetition, definition: parentDefinition)
            return
        }
        for (position, item) in items.enumerated() {
            if case .null = item {
                throw ParquetError(code: .missingRequiredValue, message: "\(path(index)) has a null element")
            }
            try shredPresent(index, node, item, repetition: position == 0 ? repetition : node.repeatLevel)
        }
    }

    /// Checks and shreds a non-null value (or one element of a repeated field).
    private func shredPresent(
        _ index: Int, _ node: ShredNode, _ value: ParquetValue, repetition: Int
    ) throws(ParquetError) {
        switch node.kind {
        case .leaf:
            try checkLeaf(index, node, value)
            columnWriters[node.columns.lowerBound].add(repetition: repetition, value: value)
        case .group:
            guard case .group(let values) = value else { throw mismatch(index, expected: "a group", value) }
            guard values.count == node.children.count else {
                throw ParquetError(
                    code: .fieldCountMismatch,
                    message: "\(path(index)) has \(values.count) values but the group has \(node.children.count) "
                        + "fields")
            }
            for (position, childValue) in values.enumerated() {
                try shred(node: childIndices[node.children.lowerBound + position], childValue, repetition: repetition,
                          parentDefinition: node.definedLevel)
            }
        case .list:
            guard case .list(let items) = value else { throw mismatch(index, expected: "a list", value) }
            if items.isEmpty {
                writeNulls(node.columns, repetition: repetition, definition: node.definedLevel)
                return
            }
            let element = childIndices[node.children.lowerBound]
            for (position, item) in items.enumerated() {
                try shred(node: element, item, repetition: position == 0 ? repetition : node.repeatLevel,
                          parentDefinition: node.definedLevel + 1)
            }
        }
    }

    /// Checks a leaf value's kind and range.
    private func checkLeaf(_ index: Int, _ node: ShredNode, _ value: ParquetValue) throws(ParquetError) {
        switch (node.physical, value) {
        case (.boolean, .bool), (.int64, .int32), (.int64, .int64), (.float, .float), (.double, .float),
            (.double, .double):
            return
        case (.int32, .int32(let number)):
            let range: ClosedRange<Int32> =
                switch node.logical {
                case .int8: Int32(Int8.min)...Int32(Int8.max)
                case .int16: Int32(Int16.min)...Int32(Int16.max)
                default: Int32.min...Int32.max
                }
            guard range.contains(number) else {
                throw ParquetError(
                    code: .valueOutOfRange, message: "\(path(index)) value \(number) is outside \(range)")
            }
        case (.byteArray, .bytes(let bytes)):
            guard bytes.count <= Int(Int32.max) - 4 else {
                throw ParquetError(
                    code: .tooLarge, message: "\(path(index)) value of \(bytes.count) bytes is too large")
            }
        default:
            throw mismatch(index, expected: "a \(node.physical) value", value)
        }
    }

    /// A type-mismatch error naming the path, what was expected and what kind of value came (never its content).
    private func mismatch(_ index: Int, expected: String, _ value: ParquetValue) -> ParquetError {
        let kind =
            switch value {
            case .null: "null"
            case .bool: "bool"
            case .int32: "int32"
            case .int64: "int64"
            case .float: "float"
            case .double: "double"
            case .bytes: "bytes"
            case .group: "group"
            case .list: "list"
            }
        return ParquetError(code: .typeMismatch, message: "\(path(index)) expects \(expected), got \(kind)")
    }

    /// The error-message path of a node.
    private func path(_ index: Int) -> String {
        schema.nodePaths[index]
    }

    /// Gives every leaf in `columns` one entry without a value.
    private func writeNulls(_ columns: Range<Int>, repetition: Int, definition: Int) {
        for column in columns {
            columnWriters[column].addNull(repetition: repetition, definition: definition)
        }
    }
}
