/// The header of a dynamic-Huffman deflate block (RFC 1951 §3.2.7): the literal/length and distance code lengths,
/// run-length encoded with symbols 16-18 and written with a code of their own.
struct DynamicBlockHeader {
    /// The literal/length lengths sent (HLIT + 257): up to the last used symbol, at least 257.
    private let literalCount: Int
    /// The distance lengths sent (HDIST + 1): up to the last used symbol, at least 1.
    private let distanceCount: Int
    /// The code-length alphabet's lengths sent (HCLEN + 4), in ``DeflateTables/codeLengthOrder``.
    private let codeLengthCount: Int
    /// The code for the code-length alphabet (0-15 a length, 16 repeat the last 3-6 times, 17 zeros 3-10 times,
    /// 18 zeros 11-138 times).
    private let codeLengthCode: HuffmanCode
    /// The run-length encoded lengths: symbol in bits 0-7, its extra value from bit 8.
    private let items: [UInt16]
    /// The header's size in bits, after the three block-type bits.
    let bitCount: Int

    /// The extra bits after code-length symbols 16, 17 and 18.
    private static let repeatExtraBits = [2, 3, 7]

    /// Encodes the lengths of a block's two codes.
    /// - Parameters:
    ///   - literalLengths: The literal/length code's lengths (286 symbols).
    ///   - distanceLengths: The distance code's lengths (30 symbols).
    init(literalLengths: [UInt8], distanceLengths: [UInt8]) {
        literalCount = max(257, (literalLengths.lastIndex { $0 != 0 } ?? 0) + 1)
        distanceCount = max(1, (distanceLengths.lastIndex { $0 != 0 } ?? 0) + 1)
        let lengths = Array(literalLengths[..<literalCount]) + distanceLengths[..<distanceCount]
        var items: [UInt16] = []
        var start = 0
        while start < lengths.count {
            let value = lengths[start]
            var end = start + 1
            while end < lengths.count && lengths[end] == value { end += 1 }
            Self.encodeRun(of: value, count: end - start, into: &items)
            start = end
        }
        var frequencies = [UInt32](repeating: 0, count: 19)
        for item in items { frequencies[Int(item & 0xFF)] += 1 }
        let code = frequencies.withUnsafeBufferPointer { HuffmanCode(frequencies: $0, maximumLength: 7) }
        let order = DeflateTables.codeLengthOrder
        codeLengthCount = max(4, (order.lastIndex { code.lengths[$0] != 0 } ?? 0) + 1)
        var bits = 5 + 5 + 4 + 3 * codeLengthCount
        for item in items {
            let symbol = Int(item & 0xFF)
            bits += Int(code.lengths[symbol]) + (symbol >= 16 ? Self.repeatExtraBits[symbol - 16] : 0)
        }
        self.items = items
        codeLengthCode = code
        bitCount = bits
    }

    /// Writes the header (HLIT, HDIST, HCLEN, the code-length code, then the lengths).
    /// - Parameter writer: Receives the bits.
    func write(into writer: inout DeflateBitWriter) {
        writer.put(UInt32(literalCount - 257), count: 5)
        writer.put(UInt32(distanceCount - 1), count: 5)
        writer.put(UInt32(codeLengthCount - 4), count: 4)
        for position in 0..<codeLengthCount {
            writer.put(UInt32(codeLengthCode.lengths[DeflateTables.codeLengthOrder[position]]), count: 3)
        }
        for item in items {
            let symbol = Int(item & 0xFF)
            writer.put(UInt32(codeLengthCode.codes[symbol]), count: Int(codeLengthCode.lengths[symbol]))
            if symbol >= 16 { writer.put(UInt32(item >> 8), count: Self.repeatExtraBits[symbol - 16]) }
        }
    }

    /// Appends the items for `count` lengths of `value` in a row.
    private static func encodeRun(of value: UInt8, count: Int, into items: inout [UInt16]) {
        var left = count
        if value == 0 {
            while left >= 11 {
                let run = min(left, 138)
                items.append(18 | UInt16(run - 11) << 8)
                left -= run
            }
            if left >= 3 {
                items.append(17 | UInt16(left - 3) << 8)
                left = 0
            }
        } else {
            items.append(UInt16(value))
            left -= 1
            while left >= 3 {
                let run = min(left, 6)
                items.append(16 | UInt16(run - 3) << 8)
                left -= run
            }
        }
        for _ in 0..<left { items.append(UInt16(value)) }
    }
}
