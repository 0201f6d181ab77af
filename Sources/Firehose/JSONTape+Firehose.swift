import JSONBytes

extension JSONTape {
    /// Whether an object key node spells `name` (after decoding escapes).
    /// - Parameters:
    ///   - node: A key (string) node.
    ///   - name: The wanted key, ASCII.
    /// - Returns: `true` on an exact match.
    func key(_ node: Int, is name: StaticString) -> Bool {
        if hasEscapes(node) { return string(node) == name.description }
        let range = byteRange(node)
        let length = name.utf8CodeUnitCount
        guard range.count == length + 2 else { return false }
        return source.withUnsafeBufferPointer { bytes in
            let wanted = name.utf8Start
            for offset in 0..<length where bytes[range.lowerBound + 1 + offset] != wanted[offset] {
                return false
            }
            return true
        }
    }

    /// A short English name of a value's kind, for error messages ("a number", "null", …).
    /// - Parameter node: A node index.
    /// - Returns: The name.
    func kindName(_ node: Int) -> String {
        switch kind(node) {
        case .object: "an object"
        case .array: "an array"
        case .string: "a string"
        case .number: "a number"
        case .true, .false: "a boolean"
        case .null: "null"
        }
    }

    /// The decoded bytes of a string node, or its raw bytes between the quotes when it has no escapes,
    /// passed to `body` without copying in the common case.
    /// - Parameters:
    ///   - node: A string node.
    ///   - body: Receives the string's bytes.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    func withStringBytes<Result, Failure: Error>(
        _ node: Int,
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        if hasEscapes(node) {
            let decoded = stringBytes(node) ?? []
            return try decoded.withUnsafeBufferPointer { (buffer) throws(Failure) in
                try body(UnsafeRawBufferPointer(buffer))
            }
        }
        let range = byteRange(node)
        let contents = (range.lowerBound + 1)..<(range.upperBound - 1)
        return try source.withUnsafeBufferPointer { (buffer) throws(Failure) in
            try body(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: buffer[contents])))
        }
    }
}
