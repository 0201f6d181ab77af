/// Finds the values of a few member names (up to 8) of one object in a single pass over its members, where a
/// lookup per name would scan the object once each. Per name the rule of
/// ``JSONTape/value(forKeyUTF8:in:caseInsensitive:)`` with `caseInsensitive` set holds: the first member whose
/// name matches exactly, else the first whose name matches ignoring ASCII case; escaped names are decoded first.
public struct JSONMemberFinder: Sendable {
    /// The most names one finder looks for (the lanes of ``Values``).
    public static let capacity = 8

    /// The value node of each name, in the order the names were given; -1 when the object has no such member.
    public typealias Values = SIMD8<Int32>

    /// The names' UTF-8 bytes, in the order given.
    private let names: [[UInt8]]
    /// Per byte length (the index), a bit per name of that length: most members are skipped on their length.
    private let namesByLength: [UInt8]

    /// Creates a finder for at most ``capacity`` names.
    /// - Parameter names: the member names, matched exactly first, then ignoring ASCII case.
    public init(_ names: [StaticString]) {
        precondition(names.count <= Self.capacity, "JSONMemberFinder: at most \(Self.capacity) names")
        let bytes = names.map { name in name.withUTF8Buffer { Array($0) } }
        var namesByLength = [UInt8](repeating: 0, count: (bytes.map(\.count).max() ?? 0) + 1)
        for (index, name) in bytes.enumerated() { namesByLength[name.count] |= 1 << UInt8(index) }
        self.names = bytes
        self.namesByLength = namesByLength
    }

    /// The value nodes of the names in an object (all -1 when the node is not an object).
    /// - Parameters:
    ///   - tape: the parsed document.
    ///   - object: a node of the tape.
    /// - Returns: per name, in the order given, its value node or -1.
    public func values(in tape: JSONTape, object: Int) -> Values {
        var exact = Values(repeating: -1)
        var folded = Values(repeating: -1)
        namesByLength.withUnsafeBufferPointer { lengths in
            tape.walkMembers(of: object) { key, value, hasEscapes, name in
                if hasEscapes {
                    tape.stringBytes(key)?.withUnsafeBufferPointer {
                        record($0, value: value, exact: &exact, folded: &folded)
                    }
                } else if name.count < lengths.count, lengths[name.count] != 0 {
                    record(name, value: value, exact: &exact, folded: &folded)
                }
                return true
            }
        }
        return exact.replacing(with: folded, where: exact .< 0)
    }

    /// Notes a member for every name it matches that has no exact match yet.
    private func record(_ name: UnsafeBufferPointer<UInt8>, value: Int, exact: inout Values, folded: inout Values) {
        for index in names.indices where names[index].count == name.count && exact[index] < 0 {
            let comparison = names[index].withUnsafeBufferPointer {
                JSONTape.compareBytes(name, $0, caseInsensitive: true)
            }
            switch comparison {
            case .exact: exact[index] = Int32(value)
            case .folded where folded[index] < 0: folded[index] = Int32(value)
            default: break
            }
        }
    }
}
