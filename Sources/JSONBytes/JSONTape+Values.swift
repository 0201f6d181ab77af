extension JSONTape {
    /// Finds an object member by its exact (decoded) key; the first match wins.
    /// - Parameters:
    ///   - key: the member name.
    ///   - object: an object node index.
    /// - Returns: the value's node index, or `nil` when absent or `object` is not an object.
    public func value(forKey key: String, in object: Int) -> Int? {
        var key = key
        return key.withUTF8 { findMember($0, in: object, caseInsensitive: false) }
    }

    /// Finds an object member by key ignoring ASCII case; an exact match is preferred over a folded one.
    /// - Parameters:
    ///   - key: the member name.
    ///   - object: an object node index.
    /// - Returns: the value's node index, or `nil`.
    public func value(forKeyCaseInsensitive key: String, in object: Int) -> Int? {
        var key = key
        return key.withUTF8 { findMember($0, in: object, caseInsensitive: true) }
    }

    /// Finds an object member by a prepared key (no per-call string work).
    /// - Parameters:
    ///   - key: the member name.
    ///   - object: an object node index.
    ///   - caseInsensitive: accept a match ignoring ASCII case when there is no exact one.
    /// - Returns: the value's node index, or `nil`.
    public func value(forKey key: JSONKey, in object: Int, caseInsensitive: Bool = false) -> Int? {
        key.utf8.withUnsafeBufferPointer { findMember($0, in: object, caseInsensitive: caseInsensitive) }
    }

    /// Finds an object member by a name given as UTF-8 bytes.
    /// - Parameters:
    ///   - key: the member name's bytes.
    ///   - object: an object node index.
    ///   - caseInsensitive: accept a match ignoring ASCII case when there is no exact one.
    /// - Returns: the value's node index, or `nil`.
    public func value(forKeyUTF8 key: UnsafeBufferPointer<UInt8>, in object: Int, caseInsensitive: Bool) -> Int? {
        findMember(key, in: object, caseInsensitive: caseInsensitive)
    }

    /// One pass over the members: the first exact match wins; else the first ASCII-case-folded match. Only escaped
    /// keys take the decoding path.
    private func findMember(_ wanted: UnsafeBufferPointer<UInt8>, in object: Int, caseInsensitive: Bool) -> Int? {
        var exact: Int?
        var folded: Int?
        walkMembers(of: object) { key, value, hasEscapes, name in
            let comparison: KeyComparison
            if hasEscapes {
                comparison = compareEscapedKey(position: key, wanted, caseInsensitive: caseInsensitive && folded == nil)
            } else {
                guard name.count == wanted.count else { return true }
                comparison = Self.compareBytes(name, wanted, caseInsensitive: caseInsensitive && folded == nil)
            }
            switch comparison {
            case .exact:
                exact = value
                return false
            case .folded: folded = value
            case .different: break
            }
            return true
        }
        return exact ?? folded
    }

    /// How a member name compares with a wanted name.
    enum KeyComparison { case exact, folded, different }

    /// Compares the decoded name of an escaped key with `wanted`.
    private func compareEscapedKey(position node: Int, _ wanted: UnsafeBufferPointer<UInt8>, caseInsensitive: Bool)
        -> KeyComparison
    {
        guard let decoded = stringBytes(node) else { return .different }
        return decoded.withUnsafeBufferPointer { Self.compareBytes($0, wanted, caseInsensitive: caseInsensitive) }
    }

    /// Compares two names: equal bytes, equal ignoring ASCII case (only when `caseInsensitive`), or different.
    static func compareBytes(
        _ lhs: UnsafeBufferPointer<UInt8>,
        _ rhs: UnsafeBufferPointer<UInt8>,
        caseInsensitive: Bool
    ) -> KeyComparison {
        guard lhs.count == rhs.count else { return .different }
        var index = 0
        while index < lhs.count, lhs[index] == rhs[index] { index += 1 }
        if index == lhs.count { return .exact }
        guard caseInsensitive else { return .different }
        while index < lhs.count, asciiLower(lhs[index]) == asciiLower(rhs[index]) { index += 1 }
        return index == lhs.count ? .folded : .different
    }

    /// Follows a path of member names from a node.
    /// - Parameters:
    ///   - path: member names, outermost first.
    ///   - node: the node to start from (default: the root).
    ///   - caseInsensitive: fall back to ASCII-case-insensitive names.
    /// - Returns: the node index at the end of the path, or `nil` when a step is missing.
    public func value(atPath path: [String], from node: Int = 0, caseInsensitive: Bool = false) -> Int? {
        var current = node
        for name in path {
            var name = name
            let next = name.withUTF8 { findMember($0, in: current, caseInsensitive: caseInsensitive) }
            guard let next else { return nil }
            current = next
        }
        return current
    }

    /// The decoded value of a string node.
    /// - Parameter node: a node index.
    /// - Returns: the string (lone surrogate escapes become U+FFFD), or `nil` for non-strings.
    public func string(_ node: Int) -> String? {
        decodedString(node)?.value
    }

    /// The decoded value of a string node, and whether decoding replaced a lone surrogate escape (`\uD800` without
    /// its pair) by U+FFFD, for callers that must refuse such a string rather than change it.
    /// - Parameter node: a node index.
    /// - Returns: the string and that flag, or `nil` for non-strings.
    public func decodedString(_ node: Int) -> (value: String, hadLoneSurrogate: Bool)? {
        guard nodes[node].kind == .string else { return nil }
        let start = Int(nodes[node].start) + 1
        let end = Int(nodes[node].end) - 1
        if !nodes[node].hasEscapes {
            let value = source.withUnsafeBufferPointer {
                String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self)
            }
            return (value, false)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(end - start)
        let replaced = source.withUnsafeBufferPointer { JSONStringDecoder.decode($0, start..<end, into: &decoded) }
        return (String(decoding: decoded, as: UTF8.self), replaced)
    }

    /// The decoded UTF-8 bytes of a string node.
    /// - Parameter node: a node index.
    /// - Returns: the bytes, or `nil` for non-strings.
    public func stringBytes(_ node: Int) -> [UInt8]? {
        guard nodes[node].kind == .string else { return nil }
        let start = Int(nodes[node].start) + 1
        let end = Int(nodes[node].end) - 1
        if !nodes[node].hasEscapes { return Array(source[start..<end]) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(end - start)
        _ = source.withUnsafeBufferPointer { JSONStringDecoder.decode($0, start..<end, into: &decoded) }
        return decoded
    }

    /// Whether a node is a string with at least one non-whitespace character.
    /// - Parameter node: a node index.
    /// - Returns: `true` for a non-blank string.
    public func isNonBlankString(_ node: Int) -> Bool {
        guard nodes[node].kind == .string else { return false }
        let start = Int(nodes[node].start) + 1
        let end = Int(nodes[node].end) - 1
        var index = start
        while index < end {
            switch source[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            case UInt8(ascii: "\\"):
                // An escaped whitespace (\n, \t, \r) or anything else.
                let escaped = source[index + 1]
                if escaped == UInt8(ascii: "n") || escaped == UInt8(ascii: "t") || escaped == UInt8(ascii: "r") {
                    index += 2
                } else {
                    return true
                }
            default: return true
            }
        }
        return false
    }

    /// The value of an integer number node.
    /// - Parameter node: a node index.
    /// - Returns: the integer, or `nil` for non-numbers, fractions, exponents or out-of-range values.
    public func int64(_ node: Int) -> Int64? {
        guard nodes[node].kind == .number else { return nil }
        var value: Int64 = 0
        var index = Int(nodes[node].start)
        let end = Int(nodes[node].end)
        let negative = source[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        while index < end {
            let digit = source[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = negative
                ? times.subtractingReportingOverflow(Int64(digit))
                : times.addingReportingOverflow(Int64(digit))
            guard !overflowA, !overflowB else { return nil }
            value = sum
            index += 1
        }
        return value
    }

    /// The value of a number node as a `Double`.
    /// - Parameter node: a node index.
    /// - Returns: the number (nearest double), or `nil` for non-numbers.
    public func double(_ node: Int) -> Double? {
        guard nodes[node].kind == .number else { return nil }
        let text = String(decoding: source[byteRange(node)], as: UTF8.self)
        return Double(text)
    }

    /// The raw bytes of a value exactly as in the source.
    /// - Parameter node: a node index.
    /// - Returns: a slice of ``source``.
    public func rawBytes(_ node: Int) -> ArraySlice<UInt8> { source[byteRange(node)] }

    @inline(__always)
    /// The byte with ASCII upper case folded to lower case.
    static func asciiLower(_ byte: UInt8) -> UInt8 {
        byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
    }

    @inline(__always)
    /// The value of a hexadecimal digit.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
