/// Member names, each with a set of bits, found in an object ignoring ASCII case with one hash probe per member on
/// the name's length and folded first and last bytes: most names are rejected without a byte comparison. Answers
/// "which of these names does this object have?" in one pass (event families, field paths worth looking up).
public struct JSONMemberNameTable: Sendable {
    /// Buckets of the hash (a power of two, a few times the most names a table holds).
    private static let bucketCount = 256

    /// Every name's bytes (ASCII letters in lower case), back to back in bucket order.
    private let bytes: [UInt8]
    /// Where each name starts in ``bytes`` (one more entry: the end of the last).
    private let starts: [Int32]
    /// Each name's bits.
    private let bits: [UInt64]
    /// Bucket `b` holds the names `bucketStarts[b]..<bucketStarts[b + 1]`.
    private let bucketStarts: [Int32]
    /// The longest name, in bytes.
    private let longest: Int

    /// Builds the table; a name given twice (after folding ASCII case) gets the union of its bits.
    /// - Parameter entries: names (UTF-8; ASCII letters are folded to lower case) and their bits.
    public init(_ entries: [(name: [UInt8], bits: UInt64)]) {
        var merged: [(name: [UInt8], bits: UInt64)] = []
        for entry in entries where !entry.name.isEmpty {
            let name = entry.name.map(JSONTape.asciiLower)
            if let index = merged.firstIndex(where: { $0.name == name }) {
                merged[index].bits |= entry.bits
            } else {
                merged.append((name, entry.bits))
            }
        }
        let ordered = merged.enumerated().sorted {
            let left = Self.bucket(of: $0.element.name), right = Self.bucket(of: $1.element.name)
            return left != right ? left < right : $0.offset < $1.offset
        }.map(\.element)
        var bytes: [UInt8] = []
        var starts: [Int32] = []
        var bucketStarts = [Int32](repeating: 0, count: Self.bucketCount + 1)
        for entry in ordered {
            starts.append(Int32(bytes.count))
            bytes += entry.name
            bucketStarts[Self.bucket(of: entry.name) + 1] += 1
        }
        starts.append(Int32(bytes.count))
        for bucket in 0..<Self.bucketCount { bucketStarts[bucket + 1] += bucketStarts[bucket] }
        self.bytes = bytes
        self.starts = starts
        self.bits = ordered.map(\.bits)
        self.bucketStarts = bucketStarts
        self.longest = ordered.map(\.name.count).max() ?? 0
    }

    /// The union of the bits of an object's member names, compared ignoring ASCII case.
    /// - Parameters:
    ///   - object: a node of `tape` (no bits unless it is an object).
    ///   - tape: the parsed document.
    ///   - escapedBits: what a member name with escapes adds (it is not decoded to be looked up).
    /// - Returns: the bits of the names found.
    public func bits(ofMembersOf object: Int, in tape: JSONTape, escapedBits: UInt64) -> UInt64 {
        var found: UInt64 = 0
        bytes.withUnsafeBufferPointer { bytes in
            starts.withUnsafeBufferPointer { starts in
                bucketStarts.withUnsafeBufferPointer { bucketStarts in
                    tape.walkMembers(of: object) { _, _, hasEscapes, name in
                        if hasEscapes {
                            found |= escapedBits
                            return true
                        }
                        guard !name.isEmpty, name.count <= longest else { return true }
                        let bucket = Self.bucket(length: name.count, first: name[0], last: name[name.count - 1])
                        for candidate in Int(bucketStarts[bucket])..<Int(bucketStarts[bucket + 1]) {
                            let start = Int(starts[candidate])
                            guard Int(starts[candidate + 1]) - start == name.count else { continue }
                            let lower = UnsafeBufferPointer(rebasing: bytes[start..<start + name.count])
                            if JSONTape.compareBytes(name, lower, caseInsensitive: true) != .different {
                                found |= bits[candidate]
                                break
                            }
                        }
                        return true
                    }
                }
            }
        }
        return found
    }

    private static func bucket(of name: [UInt8]) -> Int {
        bucket(length: name.count, first: name[0], last: name[name.count - 1])
    }

    private static func bucket(length: Int, first: UInt8, last: UInt8) -> Int {
        (length &* 61 &+ Int(JSONTape.asciiLower(first)) &* 7 &+ Int(JSONTape.asciiLower(last))) & (bucketCount - 1)
    }
}
