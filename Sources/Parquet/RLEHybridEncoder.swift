/// The RLE / bit-packing hybrid encoding, used for repetition and definition levels and for dictionary indices.
///
/// Spec: https://github.com/apache/parquet-format/blob/master/Encodings.md (RLE_DICTIONARY / "Run Length Encoding /
/// Bit-Packing Hybrid"). A run of at least 8 equal values becomes an RLE run (`varint(count << 1)` and the value in
/// `ceil(bitWidth / 8)` little-endian bytes); everything else is bit-packed in groups of 8 values
/// (`varint(groups << 1 | 1)` and the values packed least-significant bit first). Bit-packed runs before an RLE run
/// are topped up to a multiple of 8 with values from the run; only the last group of the stream is zero-padded.
enum RLEHybridEncoder {
    /// The number of bits needed for values up to `maximum`.
    /// - Parameter maximum: The largest value (0 needs 0 bits).
    /// - Returns: `ceil(log2(maximum + 1))`.
    static func bitWidth(forMaximum maximum: Int) -> Int {
        maximum <= 0 ? 0 : Int.bitWidth - maximum.leadingZeroBitCount
    }

    /// Appends the encoding of levels.
    /// - Parameters:
    ///   - values: The levels, each below `1 << bitWidth`.
    ///   - bitWidth: The bits per value (0–8).
    ///   - output: Where the encoding is appended.
    static func encode(_ values: UnsafeBufferPointer<UInt8>, bitWidth: Int, into output: inout [UInt8]) {
        encodeValues(values, bitWidth: bitWidth, into: &output)
    }

    /// Appends the encoding of dictionary indices.
    /// - Parameters:
    ///   - values: The indices, each below `1 << bitWidth`.
    ///   - bitWidth: The bits per value (0–32).
    ///   - output: Where the encoding is appended.
    static func encode(_ values: UnsafeBufferPointer<UInt32>, bitWidth: Int, into output: inout [UInt8]) {
        encodeValues(values, bitWidth: bitWidth, into: &output)
    }

    /// The shared encoder, specialised for each element type within the module.
    private static func encodeValues<Value: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<Value>, bitWidth: Int, into output: inout [UInt8]
    ) {
        let count = values.count
        var literalStart = 0
        var index = 0
        while index < count {
            let value = values[index]
            var runEnd = index + 1
            while runEnd < count && values[runEnd] == value { runEnd += 1 }
            let runLength = runEnd - index
            if runLength >= 8 {
                let pending = index - literalStart
                let topUp = (8 - pending % 8) % 8
                if runLength - topUp >= 8 {
                    if pending > 0 {
                        packLiterals(values, literalStart..<(index + topUp), bitWidth: bitWidth, into: &output)
                    }
                    appendRun(value, count: runLength - topUp, bitWidth: bitWidth, into: &output)
                    literalStart = runEnd
                }
            }
            index = runEnd
        }
        if literalStart < count {
            packLiterals(values, literalStart..<count, bitWidth: bitWidth, into: &output)
        }
    }

    /// Appends an RLE run.
    private static func appendRun<Value: FixedWidthInteger & UnsignedInteger>(
        _ value: Value, count: Int, bitWidth: Int, into output: inout [UInt8]
    ) {
        appendVarint(UInt64(count) << 1, into: &output)
        var rest = UInt64(value)
        for _ in 0..<((bitWidth + 7) / 8) {
            output.append(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
    }

    /// Appends a bit-packed run of `range`, zero-padded to whole groups of 8 values.
    private static func packLiterals<Value: FixedWidthInteger & UnsignedInteger>(
        _ values: UnsafeBufferPointer<Value>, _ range: Range<Int>, bitWidth: Int, into output: inout [UInt8]
    ) {
        let groups = (range.count + 7) / 8
        appendVarint(UInt64(groups) << 1 | 1, into: &output)
        guard bitWidth > 0 else { return }
        output.reserveCapacity(output.count + groups * bitWidth)
        var accumulator: UInt64 = 0
        var bits = 0
        for index in range {
            accumulator |= UInt64(values[index]) << UInt64(bits)
            bits += bitWidth
            while bits >= 8 {
                output.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                bits -= 8
            }
        }
        // Zero values for the padding: the remaining bits of the last group's bytes.
        let paddedBits = (groups * 8 - range.count) * bitWidth + bits
        for _ in 0..<((paddedBits + 7) / 8) {
            output.append(UInt8(truncatingIfNeeded: accumulator))
            accumulator >>= 8
        }
    }

    /// Appends an unsigned LEB128 varint.
    static func appendVarint(_ value: UInt64, into output: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            output.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        output.append(UInt8(rest))
    }
}
