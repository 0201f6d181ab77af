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
        // Each used symbol as one sortable key: frequency above, symbol in the low 16 bits.
        var keys: [UInt64] = []
        keys.reserveCapacity(frequencies.count)
        for symbol in frequencies.indices where frequencies[symbol] > 0 {
            keys.append(UInt64(frequencies[symbol]) << 16 | UInt64(symbol))
        }
        var lengths = [UInt8](repeating: 0, count: frequencies.count)
        if keys.count < 2 {
            let first = keys.first.map { Int($0 & 0xFFFF) } ?? 0
            lengths[first] = 1
            lengths[first == 0 ? 1 : 0] = 1
        } else {
            keys.sort()
            let depths = Self.depths(sortedKeys: keys)
            let deepest = depths.max()!
            if deepest <= maximumLength {
                for (position, key) in keys.enumerated() { lengths[Int(key & 0xFFFF)] = UInt8(depths[position]) }
            } else {
                var counts = [Int](repeating: 0, count: deepest + 1)
                for depth in depths { counts[min(depth, maximumLength)] += 1 }
                Self.complete(&counts, maximumLength: maximumLength)
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
        self.init(lengths: lengths)
    }

    /// Builds the canonical code for known lengths (for example the fixed code of RFC 1951 §3.2.6).
    /// - Parameter lengths: The code length of each symbol, 0 for unused ones, none above 15.
    init(lengths: [UInt8]) {
        self.lengths = lengths
        var lengthCounts = [UInt16](repeating: 0, count: 16)
        for length in lengths where length > 0 { lengthCounts[Int(length)] += 1 }
        var nextCode = [UInt16](repeating: 0, count: 16)
        var code: UInt16 = 0
        for length in 1..<16 {
            code = (code &+ lengthCounts[length - 1]) << 1
            nextCode[length] = code
        }
        codes = [UInt16](repeating: 0, count: lengths.count)
        for (symbol, length) in lengths.enumerated() where length > 0 {
            let value = nextCode[Int(length)]
            nextCode[Int(length)] = value &+ 1
            codes[symbol] = Self.reversed(value, bits: Int(length))
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

    /// The depth of each leaf of a Huffman tree over keys sorted by weight (weight above bit 16; depths in the
    /// same order).
    private static func depths(sortedKeys keys: [UInt64]) -> [Int] {
        let leafCount = keys.count
        // Nodes 0..<leafCount are the leaves, then the internal nodes in the order they are made; internal nodes
        // are made in order of weight, so two queues replace a heap.
        var weight = keys.map { $0 >> 16 }
        weight.reserveCapacity(2 * leafCount - 1)
        var parent = [Int](repeating: 0, count: 2 * leafCount - 1)
        var nextLeaf = 0
        var nextInternal = leafCount
        for _ in 0..<(leafCount - 1) {
            var pair = (0, 0)
            for slot in 0..<2 {
                let node: Int
                if nextLeaf < leafCount && (nextInternal >= weight.count || weight[nextLeaf] <= weight[nextInternal]) {
                    node = nextLeaf
                    nextLeaf += 1
                } else {
                    node = nextInternal
                    nextInternal += 1
                }
                if slot == 0 { pair.0 = node } else { pair.1 = node }
            }
            parent[pair.0] = weight.count
            parent[pair.1] = weight.count
            weight.append(weight[pair.0] + weight[pair.1])
        }
        // A parent always comes after its children, so one backward pass gives every depth.
        var depth = [Int](repeating: 0, count: weight.count)
        for node in stride(from: weight.count - 2, through: 0, by: -1) { depth[node] = depth[parent[node]] + 1 }
        depth.removeLast(depth.count - leafCount)
        return depth
    }

    /// The low `bits` bits of `value` in reverse order.
    private static func reversed(_ value: UInt16, bits: Int) -> UInt16 {
        var input = value
        var output: UInt16 = 0
        for _ in 0..<bits {
            output = output << 1 | (input & 1)
            input >>= 1
        }
        return output
    }
}
