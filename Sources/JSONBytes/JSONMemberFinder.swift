/// Finds the values of a few member names (up to 8) of one object in a single pass over its members, where a
/// lookup per name would scan the object once each. Per name the rule of
/// ``JSONTape/value(forKeyUTF8:in:caseInsensitive:)`` with `caseInsensitive` set holds: the first member whose
/// name matches exactly, else the first whose name matches ignoring ASCII case; escaped names are decoded first.
public struct JSONMemberFinder: Sendable {
    /// The most names one finder looks for (the lanes of ``Values``).
    public static let capacity = 8

    /// The value node of each name, in the order the names were given; -1 when the object has no such member.
    public typealias Values = SIMD8<Int32>

    /// The names' UTF-8 bytes, one after another in the order given (one buffer: no array per name to retain).
    private let nameBytes: [UInt8]
    /// Where each name starts in ``nameBytes``, and after the last where it ends.
    private let nameStarts: [Int]
    /// Per byte length (the index), a bit per name of that length: most members are skipped on their length, the
    /// others compared only with the names of their length.
    private let namesByLength: [UInt8]

    /// Creates a finder for at most ``capacity`` names.
    /// - Parameter names: the member names, matched exactly first, then ignoring ASCII case.
    public init(_ names: [StaticString]) {
        precondition(names.count <= Self.capacity, "JSONMemberFinder: at most \(Self.capacity) names")
        let bytes = names.map { name in name.withUTF8Buffer { Array($0) } }
        var namesByLength = [UInt8](repeating: 0, count: (bytes.map(\.count).max() ?? 0) + 1)
        for (index, name) in bytes.enumerated() { namesByLength[name.count] |= 1 << UInt8(index) }
        self.nameBytes = bytes.flatMap { $0 }
        self.nameStarts = bytes.reduce(into: [0]) { starts, name in
            starts.append(starts[starts.count - 1] + name.count)
        }
        self.namesByLength = namesByLength
    }

    /// The value nodes of the names in an object (all -1 when the node is not an object).
    /// - Parameters:
    ///   - tape: the parsed document.
    ///   - object: a node of the tape.
    /// - Returns: per name, in the order given, its value node or -1.
    public func values(in tape: JSONTape, object: Int) -> Values {
        var found = Found()
        namesByLength.withUnsafeBufferPointer { lengths in
            nameBytes.withUnsafeBufferPointer { bytes in
                nameStarts.withUnsafeBufferPointer { starts in
                    tape.walkMembers(of: object) { key, value, hasEscapes, name in
                        if hasEscapes {
                            tape.stringBytes(key)?.withUnsafeBufferPointer { decoded in
                                guard decoded.count < lengths.count else { return }
                                found.record(decoded, candidates: lengths[decoded.count], value, bytes, starts)
                            }
                        } else if name.count < lengths.count, lengths[name.count] != 0 {
                            found.record(name, candidates: lengths[name.count], value, bytes, starts)
                        }
                        return true
                    }
                }
            }
        }
        return found.exact.replacing(with: found.folded, where: found.exact .< 0)
    }

    /// The matches found so far.
    private struct Found {
        /// Per name, the value of the first member whose name matches exactly, or -1.
        var exact = Values(repeating: -1)
        /// Per name, the value of the first member whose name matches ignoring ASCII case, or -1.
        var folded = Values(repeating: -1)

        /// Notes a member for every name among `candidates` (a bit per name, those of the member's length) it
        /// matches that has no exact match yet.
        mutating func record(
            _ name: UnsafeBufferPointer<UInt8>,
            candidates: UInt8,
            _ value: Int,
            _ bytes: UnsafeBufferPointer<UInt8>,
            _ starts: UnsafeBufferPointer<Int>
        ) {
            var remaining = candidates
            while remaining != 0 {
                let index = remaining.trailingZeroBitCount
                remaining &= remaining &- 1
                guard exact[index] < 0 else { continue }
                let wanted = UnsafeBufferPointer(rebasing: bytes[starts[index]..<starts[index + 1]])
                switch JSONTape.compareBytes(name, wanted, caseInsensitive: true) {
                case .exact: exact[index] = Int32(value)
                case .folded where folded[index] < 0: folded[index] = Int32(value)
                default: break
                }
            }
        }
    }
}
