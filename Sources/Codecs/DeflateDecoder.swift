/// Lakemark's own inflater for raw deflate data (RFC 1951): one gzip member's body, decoded from memory into the
/// caller's output buffer.
///
/// Bits come from a ``DeflateBitReader`` (one refill per match). Codes decode through ``HuffmanDecodingTable``s in
/// one probe, two for long codes. Matches of distance 8 or more are copied eight bytes at a time when the output has
/// room for the overshoot.
///
/// A stream with more than ``tinyDynamicBlockLimit`` dynamic blocks of under 16 bytes of output each is refused as
/// corrupt: no encoder writes them (the block's own code tables outweigh such content, so fixed codes are cheaper),
/// and each costs a table build, so a small input made of them would cost seconds of CPU while inflating to nothing.
///
/// Decoding stops at a symbol boundary when the output is full (``Progress/outputFull``); the caller moves what was
/// written into a larger buffer, at the same offsets, and calls again. Every length, distance, code and count is
/// checked: malformed data is a ``GzipError`` (`.corrupt`, or `.truncated` when the data ended first), never a read
/// or write outside the buffers.
final class DeflateDecoder {
    /// What a call to ``decode(into:capacity:written:)`` achieved.
    enum Progress {
        /// The final block ended; ``consumed`` is where the deflate data stopped.
        case finished
        /// The next symbol does not fit the output: call again with more room.
        case outputFull
    }

    private enum Stage {
        case blockHeader
        case huffman
        case stored(remaining: Int)
        case done
    }

    /// The literal/length code's primary index width.
    private static let literalLengthBits = 10
    /// The distance code's primary index width.
    private static let distanceBits = 8
    /// The code-length code's index width (its codes are at most 7 bits).
    private static let codeLengthBits = 7
    /// Lengths in a dynamic header: at most 286 literal/length and 30 distance codes (rounded up).
    private static let lengthsCapacity = 320
    /// The most dynamic blocks of under ``tinyBlockBytes`` of output a stream may hold.
    static let tinyDynamicBlockLimit = 1_000
    /// Output below which a dynamic block counts as tiny.
    static let tinyBlockBytes = 16

    /// A literal/length table and a distance table.
    private typealias Tables = (literalLength: UnsafePointer<UInt32>, distance: UnsafePointer<UInt32>)

    /// The fixed codes' tables (RFC 1951 §3.2.6), built once and never freed.
    nonisolated(unsafe) private static let fixedTables: Tables = {
        let literalLength = HuffmanDecodingTable(
            capacity: HuffmanDecodingTable.literalLengthCapacity,
            primaryBits: literalLengthBits
        )
        let distance = HuffmanDecodingTable(capacity: HuffmanDecodingTable.distanceCapacity, primaryBits: distanceBits)
        // The fixed lengths form complete codes; building them cannot fail.
        try! DeflateTables.fixedLiteralLengths.withUnsafeBufferPointer { lengths in
            try literalLength.build(lengths: lengths.baseAddress!, count: 288, allowsOneBitCode: true,
                                    meaning: literalLengthMeaning)
        }
        try! DeflateTables.fixedDistanceLengths.withUnsafeBufferPointer { lengths in
            try distance.build(lengths: lengths.baseAddress!, count: 32, allowsOneBitCode: true,
                               meaning: distanceMeaning)
        }
        return (UnsafePointer(literalLength.entries), UnsafePointer(distance.entries))
    }()

    private var reader: DeflateBitReader
    private var isFinalBlock = false
    private var stage = Stage.blockHeader
    /// Whether the current block has its own (dynamic) codes, and the output offset where it began.
    private var block = (isDynamic: false, start: 0)
    /// Tiny dynamic blocks so far in this stream, earlier members included.
    private var tinyDynamicBlocks = 0
    /// Where the current member's output starts: no distance may reach before it.
    private(set) var historyStart: Int

    private let dynamicLiteralLength: HuffmanDecodingTable
    private let dynamicDistance: HuffmanDecodingTable
    private let codeLength: HuffmanDecodingTable
    private let lengths: UnsafeMutablePointer<UInt8>
    private var literalLength: UnsafePointer<UInt32>
    private var distance: UnsafePointer<UInt32>

    /// Prepares to decode the deflate data that starts at `start`.
    /// - Parameters:
    ///   - input: The input; it must stay valid while the decoder is used.
    ///   - count: The input's size.
    ///   - start: The offset of the deflate data.
    ///   - historyStart: The output offset at which this data's output begins.
    init(input: UnsafePointer<UInt8>, count: Int, start: Int, historyStart: Int) {
        reader = DeflateBitReader(input: input, count: count, start: start)
        self.historyStart = historyStart
        dynamicLiteralLength = HuffmanDecodingTable(
            capacity: HuffmanDecodingTable.literalLengthCapacity,
            primaryBits: Self.literalLengthBits
        )
        dynamicDistance = HuffmanDecodingTable(
            capacity: HuffmanDecodingTable.distanceCapacity,
            primaryBits: Self.distanceBits
        )
        codeLength = HuffmanDecodingTable(
            capacity: HuffmanDecodingTable.codeLengthCapacity,
            primaryBits: Self.codeLengthBits
        )
        lengths = .allocate(capacity: Self.lengthsCapacity)
        literalLength = UnsafePointer(dynamicLiteralLength.entries)
        distance = UnsafePointer(dynamicDistance.entries)
    }

    deinit {
        dynamicLiteralLength.deallocate()
        dynamicDistance.deallocate()
        codeLength.deallocate()
        lengths.deallocate()
    }

    /// Goes on with the next member's deflate data at `start`, its output from `historyStart` on; the tables'
    /// memory and the count of tiny dynamic blocks carry over (the limit is the stream's).
    func startMember(at start: Int, historyStart: Int) {
        reader = DeflateBitReader(input: reader.input, count: reader.inputEnd, start: start)
        self.historyStart = historyStart
        isFinalBlock = false
        stage = .blockHeader
    }

    /// The input offset just past the deflate data, once ``Progress/finished``; before, the byte being read.
    var consumed: Int { reader.consumed }

    /// Decodes into `output` until the data ends or the next symbol does not fit.
    /// - Parameters:
    ///   - output: The output buffer; `output[0..<written]` is everything decoded so far (earlier members too).
    ///   - capacity: The buffer's size.
    ///   - written: The bytes of `output` in use; advanced past what this call decodes.
    /// - Returns: Whether the data finished or the output is full.
    /// - Throws: ``GzipError`` `.corrupt` for malformed data, `.truncated` when the input ends inside it.
    func decode(
        into output: UnsafeMutablePointer<UInt8>,
        capacity: Int,
        written: inout Int
    ) throws(GzipError) -> Progress {
        while true {
            switch stage {
            case .done:
                guard consumed <= reader.inputEnd else { throw truncated(written) }
                return .finished
            case .blockHeader:
                try readBlockHeader(written)
            case .stored(let remaining):
                let copied = min(remaining, reader.inputEnd - reader.position, capacity - written)
                (output + written).update(from: reader.input + reader.position, count: copied)
                written += copied
                reader.position += copied
                if copied == remaining {
                    endBlock()
                } else {
                    stage = .stored(remaining: remaining - copied)
                    if written == capacity { return .outputFull }
                    throw truncated(written)
                }
            case .huffman:
                if try decodeSymbols(into: output, capacity: capacity, written: &written) == .outputFull {
                    return .outputFull
                }
            }
        }
    }

    // MARK: - Blocks

    private func endBlock() {
        stage = isFinalBlock ? .done : .blockHeader
    }

    private func readBlockHeader(_ written: Int) throws(GzipError) {
        try refill(written)
        isFinalBlock = reader.bits & 1 == 1
        let type = reader.bits >> 1 & 3
        reader.drop(3)
        block = (type == 2, written)
        switch type {
        case 0:
            reader.alignToByte()
            let (input, position) = (reader.input, reader.position)
            guard reader.inputEnd - position >= 4 else { throw truncated(written) }
            let length = Int(input[position]) | Int(input[position + 1]) << 8
            let complement = Int(input[position + 2]) | Int(input[position + 3]) << 8
            guard length == ~complement & 0xFFFF else {
                throw corrupt("stored block length does not match its complement", written)
            }
            reader.position += 4
            stage = .stored(remaining: length)
        case 1:
            literalLength = Self.fixedTables.literalLength
            distance = Self.fixedTables.distance
            stage = .huffman
        case 2:
            try readDynamicCodes(written)
            literalLength = UnsafePointer(dynamicLiteralLength.entries)
            distance = UnsafePointer(dynamicDistance.entries)
            stage = .huffman
        default:
            throw corrupt("reserved block type 3", written)
        }
    }

    /// Reads a dynamic block's code lengths (RFC 1951 §3.2.7) and builds its two tables.
    private func readDynamicCodes(_ written: Int) throws(GzipError) {
        try refill(written)
        let literalCount = reader.take(5) + 257
        let distanceCount = reader.take(5) + 1
        let codeLengthCount = reader.take(4) + 4
        guard literalCount <= 286 && distanceCount <= 30 else {
            throw corrupt("more than 286 length or 30 distance codes", written)
        }
        lengths.update(repeating: 0, count: 19)
        for index in 0..<codeLengthCount {
            try refill(written)
            lengths[DeflateTables.codeLengthOrder[index]] = UInt8(reader.take(3))
        }
        do {
            try codeLength.build(lengths: lengths, count: 19, allowsOneBitCode: false) { symbol in
                HuffmanDecodingTable.entry(kind: .literal, length: 0, value: symbol)
            }
        } catch {
            throw corrupt("invalid code-length code", written)
        }
        let total = literalCount + distanceCount
        var index = 0
        while index < total {
            try refill(written)
            let entry = Self.decode(UnsafePointer(codeLength.entries), primaryBits: Self.codeLengthBits, from: &reader)
            guard entry >> 12 & 0xF == HuffmanDecodingTable.Kind.literal.rawValue else {
                throw corrupt("invalid code-length code", written)
            }
            let symbol = Int(entry >> 16)
            if symbol < 16 {
                lengths[index] = UInt8(symbol)
                index += 1
                continue
            }
            let repeated: UInt8
            let times: Int
            switch symbol {
            case 16:
                guard index > 0 else { throw corrupt("length repeat with no previous length", written) }
                (repeated, times) = (lengths[index - 1], 3 + reader.take(2))
            case 17:
                (repeated, times) = (0, 3 + reader.take(3))
            default:
                (repeated, times) = (0, 11 + reader.take(7))
            }
            guard times <= total - index else { throw corrupt("length repeat past the last code", written) }
            (lengths + index).update(repeating: repeated, count: times)
            index += times
        }
        guard lengths[256] != 0 else { throw corrupt("no end-of-block code", written) }
        do {
            try dynamicLiteralLength.build(lengths: lengths, count: literalCount, allowsOneBitCode: true,
                                           meaning: Self.literalLengthMeaning)
        } catch {
            throw corrupt("invalid literal/length code lengths", written)
        }
        do {
            try dynamicDistance.build(lengths: lengths + literalCount, count: distanceCount, allowsOneBitCode: true,
                                      meaning: Self.distanceMeaning)
        } catch {
            throw corrupt("invalid distance code lengths", written)
        }
    }

    /// What a literal/length symbol decodes to.
    private static func literalLengthMeaning(_ symbol: Int) -> UInt32 {
        switch symbol {
        case 0..<256:
            return HuffmanDecodingTable.entry(kind: .literal, length: 0, value: symbol)
        case 256:
            return HuffmanDecodingTable.entry(kind: .endOfBlock, length: 0, value: 0)
        case 257...285:
            return HuffmanDecodingTable.entry(
                kind: .base,
                length: 0,
                extraBits: DeflateTables.lengthExtraBits[symbol - 257],
                value: DeflateTables.lengthBases[symbol - 257]
            )
        default:
            return HuffmanDecodingTable.entry(kind: .invalid, length: 0, value: 0)
        }
    }

    /// What a distance symbol decodes to (30 and 31 are invalid).
    private static func distanceMeaning(_ symbol: Int) -> UInt32 {
        guard symbol < 30 else { return HuffmanDecodingTable.entry(kind: .invalid, length: 0, value: 0) }
        return HuffmanDecodingTable.entry(
            kind: .base,
            length: 0,
            extraBits: DeflateTables.distanceExtraBits[symbol],
            value: DeflateTables.distanceBases[symbol]
        )
    }

    // MARK: - Symbols

    /// Decodes literals and matches until the block ends or the output is full.
    private func decodeSymbols(
        into output: UnsafeMutablePointer<UInt8>,
        capacity: Int,
        written: inout Int
    ) throws(GzipError) -> Progress? {
        let literalLength = self.literalLength
        let distance = self.distance
        let literal = HuffmanDecodingTable.Kind.literal.rawValue
        let base = HuffmanDecodingTable.Kind.base.rawValue
        var out = written
        var reader = self.reader
        defer {
            written = out
            self.reader = reader
        }
        while true {
            guard reader.refill() else { throw truncated(out, reader) }
            let before = (reader.bits, reader.bitCount)
            let entry = Self.decode(literalLength, primaryBits: Self.literalLengthBits, from: &reader)
            let kind = entry >> 12 & 0xF
            if kind == literal {
                guard out < capacity else {
                    (reader.bits, reader.bitCount) = before
                    return .outputFull
                }
                output[out] = UInt8(truncatingIfNeeded: entry >> 16)
                out += 1
                // A literal takes at most 15 of the 56 bits: up to two more short ones (in the primary table, 10
                // bits at most) decode before the next refill. Anything else waits for the next turn.
                for _ in 0..<2 {
                    let next = literalLength[Int(truncatingIfNeeded: reader.bits) & 0x3FF]
                    guard next >> 12 & 0xF == literal && out < capacity else { break }
                    reader.drop(Int(next & 0x1F))
                    output[out] = UInt8(truncatingIfNeeded: next >> 16)
                    out += 1
                }
                continue
            }
            guard kind == base else {
                if kind == HuffmanDecodingTable.Kind.endOfBlock.rawValue {
                    if block.isDynamic && out - block.start < Self.tinyBlockBytes {
                        tinyDynamicBlocks += 1
                        guard tinyDynamicBlocks <= Self.tinyDynamicBlockLimit else {
                            throw corrupt("more than 1,000 dynamic blocks of under 16 bytes", out, reader)
                        }
                    }
                    endBlock()
                    return nil
                }
                throw corrupt("invalid literal/length code", out, reader)
            }
            let length = Int(entry >> 16) + reader.take(Int(entry >> 8 & 0xF))
            let far = Self.decode(distance, primaryBits: Self.distanceBits, from: &reader)
            guard far >> 12 & 0xF == base else { throw corrupt("invalid distance code", out, reader) }
            let offset = Int(far >> 16) + reader.take(Int(far >> 8 & 0xF))
            guard offset <= out - historyStart else {
                throw corrupt("distance reaches before the output", out, reader)
            }
            guard length <= capacity - out else {
                (reader.bits, reader.bitCount) = before
                return .outputFull
            }
            Self.copyMatch(output + out, distance: offset, length: length, room: capacity - out)
            out += length
        }
    }

    /// The entry of the next code in `table`, its bits consumed (the primary table's, then the subtable's).
    @inline(__always)
    private static func decode(
        _ table: UnsafePointer<UInt32>,
        primaryBits: Int,
        from reader: inout DeflateBitReader
    ) -> UInt32 {
        var entry = table[Int(truncatingIfNeeded: reader.bits) & (1 << primaryBits - 1)]
        if entry >> 12 & 0xF == HuffmanDecodingTable.Kind.subtable.rawValue {
            let width = Int(entry & 0x1F)
            reader.drop(primaryBits)
            entry = table[Int(entry >> 16) + Int(truncatingIfNeeded: reader.bits) & (1 << width - 1)]
        }
        reader.drop(Int(entry & 0x1F))
        return entry
    }

    /// Copies `length` bytes from `distance` back to `destination`, overlapping forward as LZ77 requires.
    @inline(__always)
    private static func copyMatch(_ destination: UnsafeMutablePointer<UInt8>, distance: Int, length: Int, room: Int) {
        let source = destination - distance
        if distance >= 8 && length + 7 <= room {
            // Each 8-byte load reads only bytes already written (they are at least 8 behind); the last store may
            // run up to 7 bytes past the match, into room the next symbols overwrite.
            var from = UnsafeRawPointer(source)
            var to = UnsafeMutableRawPointer(destination)
            let end = to + length
            repeat {
                to.storeBytes(of: from.loadUnaligned(as: UInt64.self), as: UInt64.self)
                from += 8
                to += 8
            } while to < end
        } else if distance == 1 {
            destination.update(repeating: source.pointee, count: length)
        } else {
            for index in 0..<length { destination[index] = source[index] }
        }
    }

    // MARK: - Bits

    /// Tops the bit buffer up, or reports the data cut short.
    private func refill(_ written: Int) throws(GzipError) {
        guard reader.refill() else { throw truncated(written, reader) }
    }

    // MARK: - Errors

    /// Malformed data, or truncated data when the bits decoded ran past the input (the zeros near the end).
    private func corrupt(_ detail: String, _ written: Int, _ reader: DeflateBitReader? = nil) -> GzipError {
        let reader = reader ?? self.reader
        if reader.hasReadPastTheEnd { return truncated(written, reader) }
        return GzipError(
            code: .corrupt,
            inputOffset: min(reader.consumed, reader.inputEnd),
            detail: detail,
            outputCount: written
        )
    }

    private func truncated(_ written: Int, _ reader: DeflateBitReader? = nil) -> GzipError {
        GzipError(code: .truncated, inputOffset: (reader ?? self.reader).inputEnd, outputCount: written)
    }
}
