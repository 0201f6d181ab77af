import JSONBytes

/// A small set of member names (up to 64), matched ignoring ASCII case in one pass over an object's members:
/// which of them does an object have? Used to skip field paths whose first name an event lacks.
struct MemberNameSet: Sendable {
    /// Every bit: used when there are more names than bits, so nothing is ever skipped wrongly.
    static let all = UInt64.max

    /// The lower-cased names and their bits.
    private let table: JSONMemberNameTable
    private let bits: [String: UInt64]

    /// Builds the set; names beyond 64 share the "all" mask.
    init(_ names: [String]) {
        var entries: [(name: [UInt8], bits: UInt64)] = []
        var bits: [String: UInt64] = [:]
        for name in names {
            let folded = name.lowercased()
            if bits[folded] != nil { continue }
            let bit: UInt64 = bits.count < 64 ? 1 << UInt64(bits.count) : Self.all
            bits[folded] = bit
            entries.append((Array(folded.utf8), bit))
        }
        self.table = JSONMemberNameTable(entries)
        self.bits = bits
    }

    /// The bit of a name given to ``init(_:)``.
    func bit(for name: String) -> UInt64 { bits[name.lowercased()] ?? Self.all }

    /// The bits of the names the object has as members (escaped member names count as present, to be safe).
    func present(in tape: JSONTape, object: Int) -> UInt64 {
        guard tape.kind(object) == .object else { return 0 }
        return table.bits(ofMembersOf: object, in: tape, escapedBits: Self.all)
    }
}
