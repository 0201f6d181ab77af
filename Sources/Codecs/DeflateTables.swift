/// The constant tables of the deflate format (RFC 1951 §3.2.5 and §3.2.6), arranged for an encoder.
enum DeflateTables {
    /// The first match length of each length symbol 257...285.
    static let lengthBases: [Int] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    /// The extra bits after each length symbol 257...285.
    static let lengthExtraBits: [Int] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    /// The first distance of each distance symbol 0...29.
    static let distanceBases: [Int] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ]
    /// The extra bits after each distance symbol 0...29.
    static let distanceExtraBits: [Int] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
    /// The order in which a dynamic block header lists the code-length alphabet's lengths.
    static let codeLengthOrder: [Int] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// For each match length 0...258: its symbol's index among 257...285 (bits 0-7), extra bit count (8-15) and
    /// extra value (16-31). Lengths 0-2 are not matches and hold 0.
    static let lengthCodes: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 259)
        for symbol in lengthBases.indices {
            let extra = lengthExtraBits[symbol]
            for length in lengthBases[symbol]..<min(259, lengthBases[symbol] + (1 << extra)) {
                // 258 is written as symbol 285, never as 284 with extra value 31.
                table[length] = UInt32(symbol) | UInt32(extra) << 8 | UInt32(length - lengthBases[symbol]) << 16
            }
        }
        return table
    }()

    /// The distance symbol of `distance - 1`: entries 0-255 are indexed by `distance - 1` directly, entries 256-511
    /// by `256 + (distance - 1) >> 7` (every symbol from 16 on spans a multiple of 128 distances).
    static let distanceSymbols: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 512)
        for symbol in distanceBases.indices {
            let first = distanceBases[symbol] - 1
            let last = first + (1 << distanceExtraBits[symbol]) - 1
            for offset in first...last {
                if offset < 256 { table[offset] = UInt8(symbol) } else { table[256 + offset >> 7] = UInt8(symbol) }
            }
        }
        return table
    }()

    /// ``lengthCodes`` in memory that lives as long as the process, for loops that must not check bounds (written
    /// once before first use and only read after, hence `nonisolated(unsafe)`).
    nonisolated(unsafe) static let lengthCodePointer = permanent(lengthCodes)
    /// ``distanceSymbols`` in memory that lives as long as the process.
    nonisolated(unsafe) static let distanceSymbolPointer = permanent(distanceSymbols)
    /// ``distanceExtraBits`` in memory that lives as long as the process.
    nonisolated(unsafe) static let distanceExtraPointer = permanent(distanceExtraBits.map(UInt8.init))
    /// ``distanceBases`` in memory that lives as long as the process.
    nonisolated(unsafe) static let distanceBasePointer = permanent(distanceBases.map(UInt32.init))

    /// The code lengths of the fixed literal/length code (symbols 0...287).
    static let fixedLiteralLengths: [UInt8] =
        [UInt8](repeating: 8, count: 144) + [UInt8](repeating: 9, count: 112) + [UInt8](repeating: 7, count: 24)
        + [UInt8](repeating: 8, count: 8)
    /// The code lengths of the fixed distance code (symbols 0...31, all 5 bits).
    static let fixedDistanceLengths = [UInt8](repeating: 5, count: 32)

    /// A copy of `values` that is never freed.
    private static func permanent<Element>(_ values: [Element]) -> UnsafePointer<Element> {
        let copy = UnsafeMutablePointer<Element>.allocate(capacity: values.count)
        copy.initialize(from: values, count: values.count)
        return UnsafePointer(copy)
    }
}
