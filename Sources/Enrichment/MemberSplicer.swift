import JSONBytes

/// Writes an event's original bytes with members added or replaced, touching nothing else.
///
/// New members go just before the object's closing brace (`…,"name":value}`); a member that already exists
/// keeps its place and only its value is replaced (every occurrence, should the key be duplicated). The one
/// other change is that line breaks between tokens become spaces, so an event stays one NDJSON line: a valid
/// JSON text cannot hold a raw CR or LF inside a string, so every CR and LF byte is between tokens.
/// Whitespace around the top-level object is dropped.
public struct MemberSplicer: Sendable {
    /// One member to write: its name and its value as JSON text.
    public struct Member: Sendable {
        /// The member name (unescaped).
        public let name: String
        /// The value, already JSON text.
        public var value: [UInt8]
        /// The name's UTF-8 bytes, compared with the event's keys.
        let nameBytes: [UInt8]
        /// The name as a JSON string with its quotes, written when the member is added.
        let quotedName: [UInt8]

        /// The length of the name written as a JSON string with its quotes, in bytes.
        public var quotedNameCount: Int { quotedName.count }

        /// Creates a member.
        public init(name: String, value: [UInt8]) {
            self.name = name
            self.value = value
            self.nameBytes = Array(name.utf8)
            var writer = JSONWriter(capacity: nameBytes.count + 2)
            writer.appendString(name)
            self.quotedName = writer.bytes
        }
    }

    /// Creates a splicer.
    public init() {}

    /// Appends the event with the members spliced in to `output`.
    /// - Parameters:
    ///   - event: the parsed event; its root must be an object.
    ///   - members: members to add or replace, in order.
    ///   - output: the buffer to append to (no trailing newline is added).
    /// - Returns: `false` (and appends nothing) when the root is not an object.
    @discardableResult
    public func splice(_ event: JSONTape, members: [Member], into output: inout [UInt8]) -> Bool {
        let root = event.rootIndex
        guard event.kind(root) == .object else { return false }
        let objectRange = event.byteRange(root)
        var replacements: [(range: Range<Int>, member: Int)] = []
        var hasMembers = false
        for (key, value) in event.members(root) {
            hasMembers = true
            if let index = matchingMember(key, of: event, in: members) {
                replacements.append((event.byteRange(value), index))
            }
        }
        let startCount = output.count
        var cursor = objectRange.lowerBound
        let closingBrace = objectRange.upperBound - 1
        for replacement in replacements {
            output.append(contentsOf: event.source[cursor..<replacement.range.lowerBound])
            output.append(contentsOf: members[replacement.member].value)
            cursor = replacement.range.upperBound
        }
        output.append(contentsOf: event.source[cursor..<closingBrace])
        // Only the event's whitespace or a replacing member's value can hold a line break.
        if event.containsLineBreaks || !replacements.isEmpty { Self.replaceLineBreaks(in: &output, from: startCount) }
        for (index, member) in members.enumerated() where !replacements.contains(where: { $0.member == index }) {
            if hasMembers { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: member.quotedName)
            output.append(UInt8(ascii: ":"))
            output.append(contentsOf: member.value)
            hasMembers = true
        }
        output.append(UInt8(ascii: "}"))
        return true
    }

    /// The index of the first member named like `key`; raw key bytes are compared unless the key has escapes.
    private func matchingMember(_ key: Int, of event: JSONTape, in members: [Member]) -> Int? {
        let range = event.byteRange(key)
        if event.hasEscapes(key) {
            guard let name = event.string(key) else { return nil }
            return members.firstIndex { $0.name == name }
        }
        let length = range.count - 2
        return event.source.withUnsafeBufferPointer { source in
            let raw = UnsafeBufferPointer(rebasing: source[range.lowerBound + 1..<range.upperBound - 1])
            return members.firstIndex { member in
                member.nameBytes.count == length && member.nameBytes.withUnsafeBufferPointer { $0.elementsEqual(raw) }
            }
        }
    }

    /// Turns every CR and LF byte from `start` on into a space, eight bytes at a time where none is present.
    static func replaceLineBreaks(in bytes: inout [UInt8], from start: Int) {
        bytes.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let raw = UnsafeMutableRawPointer(base)
            let count = buffer.count
            var index = start
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while index + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                let lineFeed = word ^ (ones &* 0x0A)
                let carriageReturn = word ^ (ones &* 0x0D)
                let found = (((lineFeed &- ones) & ~lineFeed) | ((carriageReturn &- ones) & ~carriageReturn)) & highs
                if found != 0 {
                    for offset in index..<index + 8 where base[offset] == 0x0A || base[offset] == 0x0D {
                        base[offset] = 0x20
                    }
                }
                index += 8
            }
            while index < count {
                if base[index] == 0x0A || base[index] == 0x0D { base[index] = 0x20 }
                index += 1
            }
        }
    }
}
