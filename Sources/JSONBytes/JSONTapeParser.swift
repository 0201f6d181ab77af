import CSIMDKernels

/// The one-pass validating parser behind ``JSONTape``.
///
/// Iterative (an explicit container stack), so deep input cannot overflow the thread stack. Strings are scanned
/// sixteen bytes at a time (SSE2 on x86-64) while they hold nothing but printable ASCII. Nodes are written to a
/// buffer the parser owns (no uniqueness or capacity check of an array per value) and copied into the tape's array
/// once at the end; the stack of open containers is threaded through their nodes' `next` fields, unused until they
/// close.
struct JSONTapeParser: ~Copyable {
    /// Depth and size bounds.
    let limits: JSONLimits
    /// The tape being built: `nodeCount` initialised nodes out of `nodeCapacity`.
    private var nodes: UnsafeMutablePointer<JSONTape.Node>
    private var nodeCount = 0
    private var nodeCapacity: Int
    /// The innermost open container's node (-1 when none is open); while open, a container's `next` field holds
    /// the node of the container around it.
    private var top: Int32 = -1
    /// The number of open containers.
    private var depth = 0
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

    /// Doubles the node buffer, keeping the nodes already written.
    private mutating func grow() {
        let larger = UnsafeMutablePointer<JSONTape.Node>.allocate(capacity: nodeCapacity * 2)
        larger.moveInitialize(from: nodes, count: nodeCount)
        nodes.deallocate()
        nodes = larger
        nodeCapacity *= 2
    }

    /// Opens a container whose node was just appended (the depth limit is checked first).
    private mutating func push(_ node: Int) {
        nodes[node].next = top
        top = Int32(truncatingIfNeeded: node)
        depth += 1
    }

    // MARK: - Values and containers

    /// Parses the top-level value (and everything nested in it); returns the index after it.
    private mutating func parseValues(
        _ bytes: UnsafePointer<UInt8>,
        _ startIndex: Int,
        _ count: Int
    ) throws(JSONError) -> Int {
        var index = startIndex
        while true {
            // Expecting a value at `index` (whitespace already skipped).
            guard index < count else { throw JSONError(.unexpectedEnd, at: index) }
            var closedScalar = true
            switch bytes[index] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = bytes[index] == UInt8(ascii: "{")
                guard depth < limits.maxDepth else { throw JSONError(.tooDeep, at: index) }
                push(try appendNode(isObject ? .object : .array, start: index, end: index, at: index))
                index = skipWhitespace(bytes, index + 1, count)
                guard index < count else { throw JSONError(.unexpectedEnd, at: index) }
                let closer = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if bytes[index] == closer {
                    closeContainer(at: index)
                    index += 1
                } else if isObject {
                    index = try parseKeyAndColon(bytes, index, count)
                    closedScalar = false
                } else {
                    closedScalar = false
                }
            case UInt8(ascii: "\""):
                index = try parseString(bytes, index, count)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                index = try parseNumber(bytes, index, count)
            case UInt8(ascii: "t"):
                index = try parseLiteral(bytes, index, count, "true", .true)
            case UInt8(ascii: "f"):
                index = try parseLiteral(bytes, index, count, "false", .false)
            case UInt8(ascii: "n"):
                index = try parseLiteral(bytes, index, count, "null", .null)
            default:
                throw JSONError(.unexpectedByte, at: index)
            }
            if !closedScalar { continue }
            // After a complete value: close containers or move to the next element/member.
            while depth > 0 {
                index = skipWhitespace(bytes, index, count)
                guard index < count else { throw JSONError(.unexpectedEnd, at: index) }
                let byte = bytes[index]
                let isObject = nodes[Int(top)].kind == .object
                if byte == UInt8(ascii: ",") {
                    index = skipWhitespace(bytes, index + 1, count)
                    if isObject { index = try parseKeyAndColon(bytes, index, count) }
                    break
                }
                guard byte == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else {
                    throw JSONError(.unexpectedByte, at: index)
                }
                closeContainer(at: index)
                index += 1
            }
            if depth == 0 { return index }
            index = skipWhitespace(bytes, index, count)
        }
    }

    private mutating func parseKeyAndColon(
        _ bytes: UnsafePointer<UInt8>,
        _ start: Int,
        _ count: Int
    ) throws(JSONError) -> Int {
        guard start < count else { throw JSONError(.unexpectedEnd, at: start) }
        guard bytes[start] == UInt8(ascii: "\"") else { throw JSONError(.unexpectedByte, at: start) }
        var index = try parseString(bytes, start, count)
        index = skipWhitespace(bytes, index, count)
        guard index < count else { throw JSONError(.unexpectedEnd, at: index) }
        guard bytes[index] == UInt8(ascii: ":") else { throw JSONError(.unexpectedByte, at: index) }
        return skipWhitespace(bytes, index + 1, count)
    }

    private mutating func appendNode(
        _ kind: JSONKind,
        start: Int,
        end: Int,
        hasEscapes: Bool = false,
        at offset: Int
    ) throws(JSONError) -> Int {
        guard nodeCount < limits.maxNodes else { throw JSONError(.tooLarge, at: offset) }
        let index = nodeCount
        if index == nodeCapacity { grow() }
        (nodes + index).initialize(
            to: JSONTape.Node(
                kind: kind,
                hasEscapes: hasEscapes,
                start: Int32(truncatingIfNeeded: start),
                end: Int32(truncatingIfNeeded: end),
                next: Int32(truncatingIfNeeded: index + 1)
            )
        )
        nodeCount = index + 1
        return index
    }

    private mutating func closeContainer(at closerIndex: Int) {
        let closing = Int(top)
        top = nodes[closing].next
        depth -= 1
        nodes[closing].end = Int32(truncatingIfNeeded: closerIndex + 1)
        nodes[closing].next = Int32(truncatingIfNeeded: nodeCount)
    }

    // MARK: - Scalars

    private mutating func parseLiteral(
        _ bytes: UnsafePointer<UInt8>,
        _ start: Int,
        _ count: Int,
        _ literal: StaticString,
        _ kind: JSONKind
    ) throws(JSONError) -> Int {
        let length = literal.utf8CodeUnitCount
        guard start + length <= count else { throw JSONError(.unexpectedEnd, at: start) }
        let expected = literal.utf8Start
        for offset in 0..<length where bytes[start + offset] != expected[offset] {
            throw JSONError(.unexpectedByte, at: start + offset)
        }
        _ = try appendNode(kind, start: start, end: start + length, at: start)
        return start + length
    }

    private mutating func parseNumber(
        _ bytes: UnsafePointer<UInt8>,
        _ start: Int,
        _ count: Int
    ) throws(JSONError) -> Int {
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
        _ = try appendNode(.number, start: start, end: index, at: start)
        return index
    }

    /// Scans a string starting at its opening quote; appends its node; returns the index after the close.
    private mutating func parseString(
        _ bytes: UnsafePointer<UInt8>,
        _ start: Int,
        _ count: Int
    ) throws(JSONError) -> Int {
        var index = start + 1
        var hasEscapes = false
        while true {
            // Jump straight to the next quote, backslash, control or non-ASCII byte (sixteen bytes a step).
            index = lakemark_json_string_attention(bytes, index, count)
            guard index < count else { throw JSONError(.unexpectedEnd, at: index) }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                _ = try appendNode(.string, start: start, end: index + 1, hasEscapes: hasEscapes, at: start)
                return index + 1
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

    @inline(__always)
    private mutating func skipWhitespace(_ bytes: UnsafePointer<UInt8>, _ start: Int, _ count: Int) -> Int {
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
