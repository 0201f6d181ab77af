/// A canonical prefix code for one deflate alphabet (RFC 1951 §3.2.2), built from symbol frequencies.
///
/// Code lengths come from Huffman's construction (two queues over the symbols sorted by frequency). When the
/// longest code would exceed the format's limit (15 bits, 7 for the code-length alphabet), the deeper codes are
/// raised to the limit and the code is made complete again by lowering, one at a time, a code from the deepest
/// length above the limit that has one (each lowering splits one code into two, making room for one code at the
/// limit); the lengths are then handed out again, shortest to the most frequent symbols. The result is always a
/// complete code: an alphabet with fewer than two used symbols gets two codes of length 1 (zlib's inflate rejects
/// other incomplete codes in dynamic blocks).
struct HuffmanCode {
    /// The code length of each symbol; 0 for symbols not used.
    private(set) var lengths: [UInt8]
    /// Each symbol's code, bit-reversed so it can be written least significant bit first.
    private(set) var codes: [UInt16]

    /// Builds the code for `frequencies`, no code longer than `maximumLength`.
    /// - Parameters:
    ///   - frequencies: How often each symbol occurs.
    ///   - maximumLength: The longest allowed code, in bits (at least 5 for 19 or more used symbols).
    init(frequencies: UnsafeBufferPointer<UInt32>, maximumLength: Int) {
        var lengths = [UInt8](repeating: 0, count: frequencies.count)
        // Each used symbol as one sortable key: frequency above, symbol in the low 16 bits (working memory on the
        // stack: a block builds three codes).
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(frequencies.count, 1)) { storage in
            var used = 0
            for symbol in frequencies.indices where frequencies[symbol] > 0 {
                storage[used] = UInt64(frequencies[symbol]) << 16 | UInt64(symbol)
                used += 1
            }
            var keys = UnsafeMutableBufferPointer(rebasing: storage[..<used])
            if used < 2 {
                let first = keys.first.map { Int($0 & 0xFFFF) } ?? 0
                lengths[first] = 1
                lengths[first == 0 ? 1 : 0] = 1
                return
            }
            keys.sort()
            Self.assignLengths(sortedKeys: UnsafeBufferPointer(keys), maximumLength: maximumLength, to: &lengths)
        }
        self.init(lengths: lengths)
    }

    /// Builds the canonical code for known lengths (for example the fixed code of RFC 1951 §3.2.6).
    /// - Parameter lengths: The code length of each symbol, 0 for unused ones, none above 15.
    init(lengths: [UInt8]) {
        self.lengths = lengths
        var lengthCounts = SIMD16<UInt16>()
        for length in lengths where length > 0 { lengthCounts[Int(length)] &+= 1 }
        var nextCode = SIMD16<UInt16>()
        var code: UInt16 = 0
        for length in 1..<16 {
            code = (code &+ lengthCounts[length - 1]) << 1
            nextCode[length] = code
        }
        codes = [UInt16](unsafeUninitializedCapacity: lengths.count) { codes, initialized in
            for (symbol, length) in lengths.enumerated() {
                guard length > 0 else {
                    codes[symbol] = 0
                    continue
                }
                let value = nextCode[Int(length)]
                nextCode[Int(length)] = value &+ 1
                codes[symbol] = Self.reversed(value, bits: Int(length))
            }
            initialized = lengths.count
        }
    }

    /// The number of bits the symbols cost with this code.
    /// - Parameter frequencies: How often each symbol occurs (no more symbols than the code has).
    func cost(of frequencies: UnsafeBufferPointer<UInt32>) -> Int {
        var bits = 0
        for symbol in frequencies.indices { bits += Int(frequencies[symbol]) * Int(lengths[symbol]) }
        return bits
    }

    /// Makes code-length counts whose codes above the limit were raised to it complete again (Kraft's sum exactly 1):
    /// while the codes overfill the code space, one code of the deepest length below the limit that has one moves a
    /// level down, where it and a new sibling take the room of two codes at the limit, one of which is removed.
    private static func complete(_ counts: inout [Int], maximumLength: Int) {
        var space = 0
        for length in 1...maximumLength { space += counts[length] << (maximumLength - length) }
        while space > 1 << maximumLength {
            var length = maximumLength - 1
            while counts[length] == 0 { length -= 1 }
            counts[length] -= 1
            counts[length + 1] += 2
            counts[maximumLength] -= 1
            space -= 1
        }
    }

    /// Gives each symbol of `keys` (sorted by weight) its code length: the depth of its leaf in a Huffman tree,
    /// or, when the deepest leaf is below `maximumLength`, lengths made complete again at that limit.
    private static func assignLengths(
        sortedKeys keys: UnsafeBufferPointer<UInt64>,
        maximumLength: Int,
        to lengths: inout [UInt8]
    ) {
        let leafCount = keys.count
        let nodeCount = 2 * leafCount - 1
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: nodeCount) { weight in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: nodeCount) { parent in
                // Nodes 0..<leafCount are the leaves, then the internal nodes in the order they are made; internal
                // nodes are made in order of weight, so two queues replace a heap.
                for leaf in 0..<leafCount { weight[leaf] = keys[leaf] >> 16 }
                var nextLeaf = 0
                var nextInternal = leafCount
                for made in leafCount..<nodeCount {
                    var children = (0, 0)
                    for slot in 0..<2 {
                        let node: Int
                        if nextLeaf < leafCount && (nextInternal >= made || weight[nextLeaf] <= weight[nextInternal]) {
                            node = nextLeaf
                            nextLeaf += 1
                        } else {
                            node = nextInternal
                            nextInternal += 1
                        }
                        if slot == 0 { children.0 = node } else { children.1 = node }
                    }
                    parent[children.0] = Int32(made)
                    parent[children.1] = Int32(made)
                    weight[made] = weight[children.0] + weight[children.1]
                }
                // A parent always comes after its children, so one backward pass gives every depth (kept in
                // `weight`, no longer needed).
                weight[nodeCount - 1] = 0
                var deepest: UInt64 = 0
                for node in stride(from: nodeCount - 2, through: 0, by: -1) {
                    weight[node] = weight[Int(parent[node])] + 1
                    if node < leafCount { deepest = max(deepest, weight[node]) }
                }
                if deepest <= UInt64(maximumLength) {
                    for leaf in 0..<leafCount { lengths[Int(keys[leaf] & 0xFFFF)] = UInt8(weight[leaf]) }
                    return
                }
                var counts = [Int](repeating: 0, count: Int(deepest) + 1)
                for leaf in 0..<leafCount { counts[min(Int(weight[leaf]), maximumLength)] += 1 }
                complete(&counts, maximumLength: maximumLength)
                // The least frequent symbols (first in `keys`) take the longest codes.
                var position = 0
                for length in stride(from: maximumLength, through: 1, by: -1) {
                    for _ in 0..<counts[length] {
                        lengths[Int(keys[position] & 0xFFFF)] = UInt8(length)
                        position += 1
                    }
                }
            }
        }
    }

    /// The low `bits` bits of `value` in reverse order.
    private static func reversed(_ value: UInt16, bits: Int) -> UInt16 {
        let table = reversedBytes
        let whole = UInt16(table[Int(value & 0xFF)]) << 8 | UInt16(table[Int(value >> 8)])
        return whole >> (16 - bits)
    }

    /// Each byte with its bits in reverse order.
    private static let reversedBytes: [UInt8] = (0..<256).map { byte in
        var input = byte
        var output = 0
        for _ in 0..<8 {
            output = output << 1 | input & 1
            input >>= 1
        }
        return UInt8(output)
    }
}
