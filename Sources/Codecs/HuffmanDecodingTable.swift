/// Lookup tables that decode one canonical Huffman code of deflate (RFC 1951 §3.2.2) with one or two probes.
///
/// The codes arrive most significant bit first inside a least-significant-bit-first stream, so a table is indexed
/// by the next bits of the stream as they sit in the bit buffer: the primary table by the next `primaryBits` bits,
/// and a code longer than that continues in a subtable indexed by the bits after them. An entry packs what a decoder
/// needs in 32 bits: bits 0-4 the bits the entry consumes (or, for a subtable link, the subtable's index width),
/// bits 8-11 the count of extra bits that follow the symbol, bits 12-15 the kind and bits 16-31 the value (the
/// literal byte, the base of a length or distance, or the subtable's offset).
struct HuffmanDecodingTable {
    /// What an entry means.
    enum Kind: UInt32 {
        /// A bit pattern no code starts with (an incomplete code, or an unused symbol such as length code 286).
        case invalid = 0
        /// A literal byte.
        case literal = 1
        /// A match length, or for the distance code a distance.
        case base = 2
        /// The end of the block.
        case endOfBlock = 3
        /// The code continues in a subtable.
        case subtable = 4
    }

    /// Why a list of code lengths cannot make a decodable code.
    enum Problem: Error {
        /// More codes of some length than the lengths before leave room for.
        case overSubscribed
        /// Codes left unassigned (allowed only for a code of one symbol of length 1).
        case incomplete
        /// The subtables would not fit the table (not possible for a valid code within the capacities below).
        case tableOverflow
    }

    /// Entries for the literal/length code with a 10-bit primary table: a complete code of 288 symbols of at most
    /// 15 bits needs at most 1,334 (zlib's `enough` utility counts such bounds); rounded up.
    static let literalLengthCapacity = 2_048
    /// Entries for the distance code with an 8-bit primary table: at most 402 for 32 symbols; rounded up.
    static let distanceCapacity = 1_024
    /// Entries for the code-length code: seven bits, no subtables.
    static let codeLengthCapacity = 128

    /// The entries.
    let entries: UnsafeMutablePointer<UInt32>
    /// How many entries `entries` holds.
    let capacity: Int
    /// Index width of the primary table.
    let primaryBits: Int

    /// A table in new memory, which ``deallocate()`` frees; its entries are set by ``build(lengths:count:
    /// allowsOneBitCode:meaning:)``.
    /// - Parameters:
    ///   - capacity: Entries for the primary table and the subtables.
    ///   - primaryBits: Index width of the primary table.
    init(capacity: Int, primaryBits: Int) {
        entries = .allocate(capacity: capacity)
        self.capacity = capacity
        self.primaryBits = primaryBits
    }

    /// Frees the entries.
    func deallocate() {
        entries.deallocate()
    }

    /// An entry.
    @inline(__always)
    static func entry(kind: Kind, length: Int, extraBits: Int = 0, value: Int) -> UInt32 {
        UInt32(value) << 16 | kind.rawValue << 12 | UInt32(extraBits) << 8 | UInt32(length)
    }

    /// Fills the table from code lengths.
    /// - Parameters:
    ///   - lengths: The code length of each symbol, 0 for symbols without a code.
    ///   - count: How many symbols (at most 320).
    ///   - allowsOneBitCode: Whether a single code of one bit (an incomplete code) is accepted, as it is for the
    ///     literal/length and distance codes but not for the code-length code.
    ///   - meaning: For each symbol with a code, the entry it decodes to, its consumed-bits field left 0.
    /// - Throws: ``Problem`` when the lengths are over-subscribed or incomplete. No lengths at all are accepted:
    ///   every pattern then decodes as invalid.
    func build(
        lengths: UnsafePointer<UInt8>,
        count: Int,
        allowsOneBitCode: Bool,
        meaning: (Int) -> UInt32
    ) throws(Problem) {
        // Counts and starts on the stack: a stream of many small blocks builds tables for each.
        let problem = withUnsafeTemporaryAllocation(of: Int.self, capacity: 32) { scratch -> Problem? in
            let counts = scratch.baseAddress!
            let starts = counts + 16
            counts.update(repeating: 0, count: 16)
            var longest = 0
            for symbol in 0..<count {
                let length = Int(lengths[symbol])
                counts[length] += 1
                longest = max(longest, length)
            }
            counts[0] = 0
            var room = 1
            for length in 1...15 {
                room = room << 1 - counts[length]
                if room < 0 { return .overSubscribed }
            }
            if longest > 0 && room > 0 && !(allowsOneBitCode && longest == 1) { return .incomplete }
            // A complete code writes every entry it can reach; patterns no code starts with (no codes at all, or one
            // code of one bit) must decode as invalid.
            if room > 0 {
                entries.update(repeating: Self.entry(kind: .invalid, length: 0, value: 0), count: 1 << primaryBits)
            }
            guard longest > 0 else { return nil }
            // The symbols in canonical order (by length, then symbol), so that codes only grow and the long codes
            // that share a primary index are neighbours.
            starts[1] = 0
            for length in 1..<15 { starts[length + 1] = starts[length] + counts[length] }
            return withUnsafeTemporaryAllocation(of: UInt16.self, capacity: count) { sorted -> Problem? in
                for symbol in 0..<count where lengths[symbol] > 0 {
                    let length = Int(lengths[symbol])
                    sorted[starts[length]] = UInt16(symbol)
                    starts[length] += 1
                }
                let used = fill(
                    sorted: UnsafeBufferPointer(rebasing: sorted[0..<starts[15]]),
                    lengths: lengths,
                    counts: counts,
                    longest: longest,
                    meaning: meaning
                )
                return used <= capacity ? nil : .tableOverflow
            }
        }
        if let problem { throw problem }
    }

    /// Writes every symbol's entries: directly in the primary table, or in a subtable as wide as the longest code
    /// that shares its primary index needs.
    /// - Returns: The entries used, or more than ``capacity`` when a subtable would not fit (nothing written there).
    private func fill(
        sorted: UnsafeBufferPointer<UInt16>,
        lengths: UnsafePointer<UInt8>,
        counts: UnsafeMutablePointer<Int>,
        longest: Int,
        meaning: (Int) -> UInt32
    ) -> Int {
        let primarySize = 1 << primaryBits
        var code = 0
        var codeLength = 0
        var subtable = (prefix: -1, start: 0, width: 0)
        var subtableEnd = primarySize
        for symbol16 in sorted {
            let symbol = Int(symbol16)
            let length = Int(lengths[symbol])
            code <<= length - codeLength
            codeLength = length
            let reversed = Self.reverse(code, bits: length)
            code += 1
            if length <= primaryBits {
                let entry = meaning(symbol) | UInt32(length)
                var index = reversed
                while index < primarySize {
                    entries[index] = entry
                    index += 1 << length
                }
            } else {
                let prefix = reversed & (primarySize - 1)
                if prefix != subtable.prefix {
                    // Widen until the codes left (this one included) that could share the prefix fill it.
                    var width = length - primaryBits
                    var left = 1 << width
                    while width + primaryBits < longest {
                        left -= counts[width + primaryBits]
                        if left <= 0 { break }
                        width += 1
                        left <<= 1
                    }
                    if subtableEnd + 1 << width > capacity { return subtableEnd + 1 << width }
                    subtable = (prefix, subtableEnd, width)
                    entries[prefix] = Self.entry(kind: .subtable, length: width, value: subtableEnd)
                    subtableEnd += 1 << width
                }
                let rest = length - primaryBits
                let entry = meaning(symbol) | UInt32(rest)
                var index = reversed >> primaryBits
                while index < 1 << subtable.width {
                    entries[subtable.start + index] = entry
                    index += 1 << rest
                }
            }
            counts[length] -= 1
        }
        return subtableEnd
    }

    /// The low `bits` bits of `code` in reverse order.
    @inline(__always)
    static func reverse(_ code: Int, bits: Int) -> Int {
        var value = code
        var reversed = 0
        for _ in 0..<bits {
            reversed = reversed << 1 | value & 1
            value >>= 1
        }
        return reversed
    }
}
