import CSIMDKernels

/// The one-pass validating parser behind ``JSONTape``.
///
/// Iterative (an explicit container stack), so deep input cannot overflow the thread stack. Strings are scanned
/// sixteen bytes at a time (SSE2 on x86-64) while they hold nothing but printable ASCII. Nodes are written to a
/// buffer the parser owns (no uniqueness or capacity check of an array per value) and copied into the tape's array
/// once at the end; the stack of open containers is threaded through their nodes' `next` fields, unused until they
/// close. The whole walk is one loop over locals (the node buffer, its count, the open containers): no call and no
/// store to the parser per value, one comparison per node for both the buffer's room and the node limit, and
/// whitespace looked at only where a byte at or below the space is found.
struct JSONTapeParser: ~Copyable {
    /// Depth and size bounds.
    let limits: JSONLimits
    /// The tape being built: `nodeCount` initialised nodes out of `nodeCapacity`.
    private var nodes: UnsafeMutablePointer<JSONTape.Node>
    private var nodeCount = 0
    private var nodeCapacity: Int
    /// Whether a CR or LF byte was skipped as whitespace (the only place JSON allows them unescaped).
    private(set) var sawLineBreak = false

    /// Creates a parser for a text of `textSize` bytes.
    init(limits: JSONLimits, textSize: Int) {
        self.limits = limits
        // Security events hold about one value per 18 bytes; a sixteenth of the size leaves room for most without
        // regrowth, and a denser text grows the tape geometrically.
        nodeCapacity = min(max(textSize, 0) / 16 + 16, 1 << 20)
        nodes = UnsafeMutablePointer.allocate(capacity: nodeCapacity)
    }

    deinit {
        nodes.deallocate()
    }

    /// Parses a whole text; returns the tape's nodes.
    mutating func parse(_ buffer: UnsafeRawBufferPointer) throws(JSONError) -> [JSONTape.Node] {
        let count = buffer.count
        guard count > 0, let base = buffer.baseAddress else { throw JSONError(.empty, at: 0) }
        guard count < Int(Int32.max) else { throw JSONError(.tooLarge, at: 0) }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var index = skipWhitespace(bytes, 0, count)
        guard index < count else { throw JSONError(.empty, at: index) }
        index = try parseValues(bytes, index, count)
        index = skipWhitespace(bytes, index, count)
        guard index == count else { throw JSONError(.trailingBytes, at: index) }
        return Array(UnsafeBufferPointer(start: nodes, count: nodeCount))
    }

    /// Makes room for node `count` (the nodes before it are written): throws at the node limit, else doubles the
    /// buffer. Returns the buffer and how many nodes may be written before the next call.
    private mutating func makeRoom(
        keeping count: Int,
        at offset: Int
    ) throws(JSONError) -> (nodes: UnsafeMutablePointer<JSONTape.Node>, room: Int) {
        guard count < limits.maxNodes else { throw JSONError(.tooLarge, at: offset) }
        if count >= nodeCapacity {
            let larger = UnsafeMutablePointer<JSONTape.Node>.allocate(capacity: nodeCapacity * 2)
            larger.moveInitialize(from: nodes, count: count)
            nodes.deallocate()
            nodes = larger
            nodeCapacity *= 2
        }
        return (nodes, min(nodeCapacity, limits.maxNodes))
    }

    // MARK: - Values and containers

    /// Parses the top-level value (and everything nested in it); returns the index after it.
    private mutating func parseValues(
        _ bytes: UnsafePointer<UInt8>,
        _ startIndex: Int,
        _ count: Int
    ) throws(JSONError) -> Int {
        var index = startIndex
        // The parser's state in locals, so that it stays in registers: written back once, at the end.
        var nodes = self.nodes
        var nodeCount = 0
        // Nodes that may be written before `makeRoom` must be asked (the buffer's size or the node limit).
        var room = min(nodeCapacity, limits.maxNodes)
        // The innermost open container's node (-1 when none is open); while open, a container's `next` field holds
        // the node of the container around it.
        var top: Int32 = -1
        var topIsObject = false
        var depth = 0
        let maxDepth = limits.maxDepth

        /// Writes node `nodeCount` (room already made).
        @inline(__always)
        func store(_ kind: JSONKind, _ start: Int, _ end: Int, _ hasEscapes: Bool, next: Int32) {
            (nodes + nodeCount).initialize(
                to: JSONTape.Node(
                    kind: kind,
                    hasEscapes: hasEscapes,
                    start: Int32(truncatingIfNeeded: start),
                    end: Int32(truncatingIfNeeded: end),
                    next: next
                )
            )
            nodeCount += 1
        }

        /// Scans the string whose opening quote is at `start` and appends its node; returns the index after its
        /// closing quote.
        @inline(__always)
        func appendString(_ start: Int) throws(JSONError) -> Int {
            let (end, hasEscapes) = try scanString(bytes, start, count)
            if nodeCount >= room { (nodes, room) = try makeRoom(keeping: nodeCount, at: start) }
            store(.string, start, end, hasEscapes, next: Int32(truncatingIfNeeded: nodeCount + 1))
            return end
        }

        /// Parses a member's key and colon from `start`; returns the index of its value (whitespace skipped).
        @inline(__always)
        func keyAndColon(_ start: Int) throws(JSONError) -> Int {
            guard start < count else { throw JSONError(.unexpectedEnd, at: start) }
            guard bytes[start] == UInt8(ascii: "\"") else { throw JSONError(.unexpectedByte, at: start) }
            var index = skipWhitespace(bytes, try appendString(start), count)
            guard index < count else { throw JSONError(.unexpectedEnd, at: index) }
            guard bytes[index] == UInt8(ascii: ":") else { throw JSONError(.unexpectedByte, at: index) }
            index = skipWhitespace(bytes, index + 1, count)
            return index
        }

        while true {
            // Expecting a value at `index` (whitespace already skipped).
            guard index < count else { throw JSONError(.unexpectedEnd, at: index) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index = try appendString(index)
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = byte == UInt8(ascii: "{")
                guard depth < maxDepth else { throw JSONError(.tooDeep, at: index) }
                if nodeCount >= room { (nodes, room) = try makeRoom(keeping: nodeCount, at: index) }
                // Opened: its `next` holds the container around it until it closes.
                let node = Int32(truncatingIfNeeded: nodeCount)
                store(isObject ? .object : .array, index, index, false, next: top)
                top = node
                topIsObject = isObject
                depth += 1
                index = skipWhitespace(bytes, index + 1, count)
                guard index < count else { throw JSONError(.unexpectedEnd, at: index) }
                if bytes[index] != (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    if isObject { index = try keyAndColon(index) }
                    continue
                }
            // An empty container is closed below, its closer at `index`.
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let end = try scanNumber(bytes, index, count)
                if nodeCount >= room { (nodes, room) = try makeRoom(keeping: nodeCount, at: index) }
                store(.number, index, end, false, next: Int32(truncatingIfNeeded: nodeCount + 1))
                index = end
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                let kind: JSONKind = byte == UInt8(ascii: "t") ? .true : byte == UInt8(ascii: "f") ? .false : .null
                let end = try scanLiteral(bytes, index, count, kind)
                if nodeCount >= room { (nodes, room) = try makeRoom(keeping: nodeCount, at: index) }
                store(kind, index, end, false, next: Int32(truncatingIfNeeded: nodeCount + 1))
                index = end
            default:
                throw JSONError(.unexpectedByte, at: index)
            }
            // After a complete value: close containers or move to the next element or member.
            while true {
                guard depth > 0 else {
                    self.nodeCount = nodeCount
                    return index
                }
                index = skipWhitespace(bytes, index, count)
                guard index < count else { throw JSONError(.unexpectedEnd, at: index) }
                let next = bytes[index]
                if next == UInt8(ascii: ",") {
                    index = skipWhitespace(bytes, index + 1, count)
                    if topIsObject { index = try keyAndColon(index) }
                    break
                }
                guard next == (topIsObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw JSONError(.unexpectedByte, at: index)
                }
                let closing = Int(top)
                top = nodes[closing].next
                nodes[closing].end = Int32(truncatingIfNeeded: index + 1)
                nodes[closing].next = Int32(truncatingIfNeeded: nodeCount)
                depth -= 1
                topIsObject = top >= 0 && nodes[Int(top)].kind == .object
                index += 1
            }
        }
    }

    // MARK: - Scalars

    /// Checks the literal of `kind` (`true`, `false` or `null`) at `start`; returns the index after it.
    @inline(__always)
    private func scanLiteral(
        _ bytes: UnsafePointer<UInt8>,
        _ start: Int,
        _ count: Int,
        _ kind: JSONKind
    ) throws(JSONError) -> Int {
        let literal: StaticString = kind == .true ? "true" : kind == .false ? "false" : "null"
        let length = literal.utf8CodeUnitCount
        guard start + length <= count else { throw JSONError(.unexpectedEnd, at: start) }
        let expected = literal.utf8Start
        for offset in 0..<length where bytes[start + offset] != expected[offset] {
            throw JSONError(.unexpectedByte, at: start + offset)
        }
        return start + length
    }

    /// Checks the number at `start` against the RFC 8259 grammar; returns the index after it.
    @inline(__always)
    private func scanNumber(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ count: Int) throws(JSONError) -> Int {
        var index = start
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < count, isDigit(bytes[index]) else { throw JSONError(.invalidNumber, at: index) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < count, isDigit(bytes[index]) { index += 1 }
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < count, isDigit(bytes[index]) else { throw JSONError(.invalidNumber, at: index) }
            while index < count, isDigit(bytes[index]) { index += 1 }
        }
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < count, isDigit(bytes[index]) else { throw JSONError(.invalidNumber, at: index) }
            while index < count, isDigit(bytes[index]) { index += 1 }
        }
        return index
    }

    /// Scans a string from its opening quote at `start`; returns the index after its closing quote and whether it
    /// holds escapes.
    @inline(__always)
    private func scanString(
        _ bytes: UnsafePointer<UInt8>,
        _ start: Int,
        _ count: Int
    ) throws(JSONError) -> (end: Int, hasEscapes: Bool) {
        var index = start + 1
        var hasEscapes = false
        while true {
            // Jump straight to the next quote, backslash, control or non-ASCII byte (sixteen bytes a step).
            index = lakemark_json_string_attention(bytes, index, count)
            guard index < count else { throw JSONError(.unexpectedEnd, at: index) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                return (index + 1, hasEscapes)
            } else if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                index = try skipEscape(bytes, index, count)
            } else if byte < 0x20 {
                throw JSONError(.invalidString, at: index)
            } else {
                index = try skipUTF8Sequence(bytes, index, count)
            }
        }
    }

    private func skipEscape(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ count: Int) throws(JSONError) -> Int {
        guard start + 1 < count else { throw JSONError(.unexpectedEnd, at: start) }
        switch bytes[start + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return start + 2
        case UInt8(ascii: "u"):
            guard start + 6 <= count else { throw JSONError(.unexpectedEnd, at: start) }
            for offset in 2..<6 where JSONTape.hexValue(bytes[start + offset]) == nil {
                throw JSONError(.invalidString, at: start + offset)
            }
            return start + 6
        default:
            throw JSONError(.invalidString, at: start + 1)
        }
    }

    /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
    private func skipUTF8Sequence(
        _ bytes: UnsafePointer<UInt8>,
        _ start: Int,
        _ count: Int
    ) throws(JSONError) -> Int {
        let lead = bytes[start]
        let length: Int
        var lowerBound: UInt8 = 0x80
        var upperBound: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upperBound = 0x9F
        case 0xF0: length = 4; lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upperBound = 0x8F
        default: throw JSONError(.invalidString, at: start)
        }
        guard start + length <= count else { throw JSONError(.invalidString, at: start) }
        let second = bytes[start + 1]
        guard second >= lowerBound, second <= upperBound else { throw JSONError(.invalidString, at: start + 1) }
        for offset in 2..<max(2, length) where bytes[start + offset] & 0xC0 != 0x80 {
            throw JSONError(.invalidString, at: start + offset)
        }
        return start + length
    }

    @inline(__always)
    private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// The index of the first byte from `start` that is not whitespace (`count` at the end): one comparison where
    /// no whitespace is, as between the tokens of most texts.
    @inline(__always)
    private mutating func skipWhitespace(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ count: Int) -> Int {
        guard start < count, bytes[start] <= 0x20 else { return start }
        return skipWhitespaceRun(bytes, start, count)
    }

    /// ``skipWhitespace(_:_:_:)`` from a byte at or below the space.
    private mutating func skipWhitespaceRun(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ count: Int) -> Int {
        var index = start
        while index < count {
            switch bytes[index] {
            case 0x20, 0x09: index += 1
            case 0x0A, 0x0D:
                sawLineBreak = true
                index += 1
            default: return index
            }
        }
        return index
    }
}
