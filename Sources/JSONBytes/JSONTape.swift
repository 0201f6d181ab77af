/// A validated JSON text and its structure as a flat tape of nodes.
///
/// Parsing is one pass over the bytes: every value becomes a node that records its kind and byte range
/// in the source, and containers record where their subtree ends so that siblings can be skipped in O(1).
/// Nothing is decoded or copied while parsing; strings are decoded only when asked for. Values are referred
/// to by node index; the top-level value is ``rootIndex``.
///
/// Layout: an object's node is followed by its members as (key node, value subtree) pairs; an array's
/// node is followed by its element subtrees.
///
/// The parser is strict RFC 8259: no comments, no trailing commas, no `NaN`, no leading zeros, strings
/// must be valid UTF-8 without raw control characters, and only whitespace may follow the top-level value.
public struct JSONTape: Sendable {
    /// One value on the tape (16 bytes).
    struct Node: Sendable {
        var kind: JSONKind
        /// For strings: the raw bytes contain at least one backslash escape.
        var hasEscapes: Bool
        var start: Int32
        var end: Int32
        /// Index of the first node after this value's subtree.
        var next: Int32
    }

    /// The source text; byte ranges index into it.
    public let source: [UInt8]
    var nodes: [Node]
    /// Whether ``source`` holds a CR or LF byte; JSON allows them unescaped only as whitespace between tokens.
    public let containsLineBreaks: Bool

    /// Parses and validates a JSON text.
    /// - Parameters:
    ///   - bytes: the JSON text (kept by the tape, not copied).
    ///   - limits: bounds on depth and size.
    /// - Throws: ``JSONError`` when the text is not valid JSON or exceeds the limits.
    public init(parsing bytes: [UInt8], limits: JSONLimits = JSONLimits()) throws(JSONError) {
        self.source = bytes
        var parser = JSONTapeParser(limits: limits, textSize: bytes.count)
        let result: Result<[Node], JSONError> = bytes.withUnsafeBytes { buffer in
            do throws(JSONError) {
                return .success(try parser.parse(buffer))
            } catch {
                return .failure(error)
            }
        }
        self.nodes = try result.get()
        self.containsLineBreaks = parser.sawLineBreak
    }

    /// Parses and validates a JSON text held in an array slice (copied once).
    /// - Parameters:
    ///   - bytes: the JSON text.
    ///   - limits: bounds on depth and size.
    /// - Throws: ``JSONError`` when the text is not valid JSON or exceeds the limits.
    public init(parsing bytes: ArraySlice<UInt8>, limits: JSONLimits = JSONLimits()) throws(JSONError) {
        try self.init(parsing: Array(bytes), limits: limits)
    }

    /// The index of the top-level value: always 0.
    public var rootIndex: Int { 0 }

    /// The number of values on the tape.
    public var nodeCount: Int { nodes.count }

    /// The kind of a value.
    /// - Parameter node: a node index.
    /// - Returns: the value's kind.
    public func kind(_ node: Int) -> JSONKind { nodes[node].kind }

    /// The bytes of a value in ``source``; strings include their quotes.
    /// - Parameter node: a node index.
    /// - Returns: the half-open byte range.
    public func byteRange(_ node: Int) -> Range<Int> {
        Int(nodes[node].start)..<Int(nodes[node].end)
    }

    /// Whether a string's raw bytes contain backslash escapes.
    /// - Parameter node: a string node index.
    /// - Returns: `true` when decoding must process escapes.
    public func hasEscapes(_ node: Int) -> Bool { nodes[node].hasEscapes }

    /// The index of the first node after a value's subtree.
    /// - Parameter node: a node index.
    /// - Returns: the next sibling's index, or ``nodeCount`` at the end.
    public func nextSibling(_ node: Int) -> Int { Int(nodes[node].next) }

    /// The elements of an array, in order.
    /// - Parameter node: an array node index.
    /// - Returns: a sequence of element node indexes (empty for non-arrays).
    public func children(_ node: Int) -> JSONChildren {
        guard nodes[node].kind == .array else { return JSONChildren(tape: self, first: 0, end: 0) }
        return JSONChildren(tape: self, first: node + 1, end: Int(nodes[node].next))
    }

    /// The members of an object, in source order.
    /// - Parameter node: an object node index.
    /// - Returns: a sequence of (key, value) node index pairs (empty for non-objects).
    public func members(_ node: Int) -> JSONMembers {
        guard nodes[node].kind == .object else { return JSONMembers(tape: self, first: 0, end: 0) }
        return JSONMembers(tape: self, first: node + 1, end: Int(nodes[node].next))
    }

    /// The number of elements of an array or members of an object.
    /// - Parameter node: a container node index.
    /// - Returns: the count; 0 for scalars. O(n) in the number of children.
    public func count(_ node: Int) -> Int {
        switch nodes[node].kind {
        case .array: return children(node).reduce(0) { count, _ in count + 1 }
        case .object: return members(node).reduce(0) { count, _ in count + 1 }
        default: return 0
        }
    }
}

/// The element node indexes of a JSON array.
public struct JSONChildren: Sequence, Sendable {
    let tape: JSONTape
    let first: Int
    let end: Int

    /// Iterates element node indexes.
    public struct Iterator: IteratorProtocol {
        let tape: JSONTape
        var position: Int
        let end: Int

        /// The next element's node index.
        public mutating func next() -> Int? {
            guard position < end else { return nil }
            let current = position
            position = Int(tape.nodes[current].next)
            return current
        }
    }

    /// Makes an iterator over the elements.
    public func makeIterator() -> Iterator { Iterator(tape: tape, position: first, end: end) }
}

/// The (key, value) node index pairs of a JSON object.
public struct JSONMembers: Sequence, Sendable {
    let tape: JSONTape
    let first: Int
    let end: Int

    /// Iterates members.
    public struct Iterator: IteratorProtocol {
        let tape: JSONTape
        var position: Int
        let end: Int

        /// The next member's key and value node indexes.
        public mutating func next() -> (key: Int, value: Int)? {
            guard position < end else { return nil }
            let key = position
            let value = position + 1
            position = Int(tape.nodes[value].next)
            return (key, value)
        }
    }

    /// Makes an iterator over the members.
    public func makeIterator() -> Iterator { Iterator(tape: tape, position: first, end: end) }
}
