/// Row validation and Dremel record shredding
/// (https://github.com/apache/parquet-format/blob/master/README.md, "Nested Encoding").
///
/// A value at a field contributes to every leaf under it:
/// - `.null` (or an empty list) gives each leaf one entry at the parent's definition level;
/// - a present value descends, its leaves reaching the field's ``ShredNode/definedLevel``;
/// - list elements after the first start at the list's ``ShredNode/repeatLevel`` instead of the inherited one.
extension ParquetFileWriter {
    /// Checks a value against a field and everything under it.
    /// - Parameters:
    ///   - index: The field's node index.
    ///   - value: The value.
    /// - Throws: ``ParquetError`` naming the field's path.
    func validate(node index: Int, _ value: ParquetValue) throws(ParquetError) {
        let node = schema.nodes[index]
        if case .null = value {
            guard node.repetition != .required else {
                throw ParquetError(code: .missingRequiredValue, message: "\(node.path) is required but null")
            }
            return
        }
        guard node.repetition == .repeated else {
            try validatePresent(node, value)
            return
        }
        guard case .list(let items) = value else { throw mismatch(node, expected: "a list (repeated field)", value) }
        for item in items {
            if case .null = item {
                throw ParquetError(code: .missingRequiredValue, message: "\(node.path) has a null element")
            }
            try validatePresent(node, item)
        }
    }

    /// Checks a non-null value (or one element of a repeated field) against a field.
    private func validatePresent(_ node: ShredNode, _ value: ParquetValue) throws(ParquetError) {
        switch node.kind {
        case .leaf:
            try validateLeaf(node, value)
        case .group(let children):
            guard case .group(let values) = value else { throw mismatch(node, expected: "a group", value) }
            guard values.count == children.count else {
                throw ParquetError(
                    code: .fieldCountMismatch,
                    message: "\(node.path) has \(values.count) values but the group has \(children.count) fields")
            }
            for (child, childValue) in zip(children, values) {
                try validate(node: child, childValue)
            }
        case .list(let element):
            guard case .list(let items) = value else { throw mismatch(node, expected: "a list", value) }
            for item in items {
                try validate(node: element, item)
            }
        }
    }

    /// Checks a leaf value's kind and range.
    private func validateLeaf(_ node: ShredNode, _ value: ParquetValue) throws(ParquetError) {
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
                throw ParquetError(code: .valueOutOfRange, message: "\(node.path) value \(number) is outside \(range)")
            }
        case (.byteArray, .bytes(let bytes)):
            guard bytes.count <= Int(Int32.max) - 4 else {
                throw ParquetError(code: .tooLarge, message: "\(node.path) value of \(bytes.count) bytes is too large")
            }
        default:
            throw mismatch(node, expected: "a \(node.physical) value", value)
        }
    }

    /// A type-mismatch error naming the path, what was expected and what kind of value came (never its content).
    private func mismatch(_ node: ShredNode, expected: String, _ value: ParquetValue) -> ParquetError {
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
        return ParquetError(code: .typeMismatch, message: "\(node.path) expects \(expected), got \(kind)")
    }

    /// Shreds a validated value into the leaf columns under a field.
    /// - Parameters:
    ///   - index: The field's node index.
    ///   - value: The value.
    ///   - repetition: The repetition level of the value's first entry.
    ///   - parentDefinition: The definition level of the parent (what a null here records).
    func shred(node index: Int, _ value: ParquetValue, repetition: Int, parentDefinition: Int) {
        let node = schema.nodes[index]
        if case .null = value {
            writeNulls(node.columns, repetition: repetition, definition: parentDefinition)
            return
        }
        guard node.repetition == .repeated else {
            shredPresent(node, value, repetition: repetition)
            return
        }
        guard case .list(let items) = value, !items.isEmpty else {
            writeNulls(node.columns, repetition: repetition, definition: parentDefinition)
            return
        }
        for (position, item) in items.enumerated() {
            shredPresent(node, item, repetition: position == 0 ? repetition : node.repeatLevel)
        }
    }

    /// Shreds a non-null value (or one element of a repeated field).
    private func shredPresent(_ node: ShredNode, _ value: ParquetValue, repetition: Int) {
        switch node.kind {
        case .leaf(let column):
            columnWriters[column].add(repetition: repetition, value: value)
        case .group(let children):
            guard case .group(let values) = value else { return }
            for (child, childValue) in zip(children, values) {
                shred(node: child, childValue, repetition: repetition, parentDefinition: node.definedLevel)
            }
        case .list(let element):
            guard case .list(let items) = value, !items.isEmpty else {
                writeNulls(node.columns, repetition: repetition, definition: node.definedLevel)
                return
            }
            for (position, item) in items.enumerated() {
                shred(node: element, item, repetition: position == 0 ? repetition : node.repeatLevel,
                      parentDefinition: node.definedLevel + 1)
            }
        }
    }

    /// Gives every leaf in `columns` one entry without a value.
    private func writeNulls(_ columns: Range<Int>, repetition: Int, definition: Int) {
        for column in columns {
            columnWriters[column].addNull(repetition: repetition, definition: definition)
        }
    }
}
