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
        public var name: String
        /// The value, already JSON text.
        public var value: [UInt8]

        /// Creates a member.
        public init(name: String, value: [UInt8]) {
            self.name = name
            self.value = value
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
        var present = [Bool](repeating: false, count: members.count)
        var hasMembers = false
        for (key, value) in event.members(root) {
            hasMembers = true
            guard let name = event.string(key) else { continue }
            for (index, member) in members.enumerated() where member.name == name {
                replacements.append((event.byteRange(value), index))
                present[index] = true
                break
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
        Self.replaceLineBreaks(in: &output, from: startCount)
        for (index, member) in members.enumerated() where !present[index] {
            if hasMembers { output.append(UInt8(ascii: ",")) }
            var writer = JSONWriter(capacity: member.name.utf8.count + 2)
            writer.appendString(member.name)
            output.append(contentsOf: writer.bytes)
            output.append(UInt8(ascii: ":"))
            output.append(contentsOf: member.value)
            hasMembers = true
        }
        output.append(UInt8(ascii: "}"))
        return true
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
