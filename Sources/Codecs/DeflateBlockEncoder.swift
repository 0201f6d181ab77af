/// Finds the matches of one block at a time and writes the block, for ``GreedyDeflater``.
///
/// Tokens are `UInt32`: a literal is its byte; a match has bit 31 set, its distance symbol in bits 24-28, its length
/// in bits 15-23 and its distance minus one in bits 0-14.
struct DeflateBlockEncoder {
    /// The input.
    private let input: UnsafePointer<UInt8>
    /// The input's size.
    private let count: Int
    /// The last position seen for each 4-byte hash plus `positionBase` (smaller values are from earlier inputs; a
    /// colliding entry fails the compare).
    private let table: UnsafeMutablePointer<UInt32>
    /// What this input's positions are stored as in `table`, above the input's position.
    private let positionBase: Int
    /// The current block's tokens.
    private let tokens: UnsafeMutablePointer<UInt32>
    /// The current block's literal/length symbol counts (286).
    private let literalFrequencies: UnsafeMutablePointer<UInt32>
    /// The current block's distance symbol counts (30).
    private let distanceFrequencies: UnsafeMutablePointer<UInt32>

    private static let matchFlag: UInt32 = 1 << 31
    private static let fixedLiteral = HuffmanCode(lengths: DeflateTables.fixedLiteralLengths)
    private static let fixedDistance = HuffmanCode(lengths: DeflateTables.fixedDistanceLengths)

    /// Prepares to encode `input` with `scratch`'s memory.
    /// - Parameters:
    ///   - input: The bytes to compress; they must stay valid while the encoder is used.
    ///   - scratch: Working memory no one else uses meanwhile.
    init(input: UnsafeRawBufferPointer, scratch: DeflateScratch) {
        self.input = input.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1)!
        count = input.count
        table = scratch.table
        positionBase = Int(scratch.reservePositions(input.count))
        tokens = scratch.tokens
        literalFrequencies = scratch.literalFrequencies
        distanceFrequencies = scratch.distanceFrequencies
    }

    /// Writes the whole input as deflate blocks, the last one marked final.
    /// - Parameter writer: Receives the stream.
    func encode(into writer: inout DeflateBitWriter) {
        var position = 0
        repeat {
            let start = position
            let (tokenCount, extraBits) = findMatches(from: &position)
            writeBlock(
                tokenCount: tokenCount,
                extraBits: extraBits,
                input: start..<position,
                isFinal: position == count,
                into: &writer
            )
        } while position < count
    }

    /// Tokenizes the input from `position` until a block's worth has been started; advances `position`.
    /// - Returns: The block's token count and the extra bits its matches carry.
    private func findMatches(from position: inout Int) -> (tokens: Int, extraBits: Int) {
        literalFrequencies.update(repeating: 0, count: DeflateScratch.literalSymbols)
        distanceFrequencies.update(repeating: 0, count: DeflateScratch.distanceSymbols)
        let lengthCodes = DeflateTables.lengthCodePointer
        let distanceSymbols = DeflateTables.distanceSymbolPointer
        let distanceExtra = DeflateTables.distanceExtraPointer
        let blockEnd = min(count, position + GreedyDeflater.blockInputBytes)
        let hashEnd = min(blockEnd, count - 3)
        let base = positionBase
        var tokenCount = 0
        var extraBits = 0
        var here = position
        while here < hashEnd {
            let word = UnsafeRawPointer(input + here).loadUnaligned(as: UInt32.self)
            let slot = Self.slot(of: word)
            let candidate = Int(table[slot]) &- base
            table[slot] = UInt32(truncatingIfNeeded: here &+ base)
            let distance = here &- candidate
            if candidate >= 0 && distance <= GreedyDeflater.windowBytes
                && UnsafeRawPointer(input + candidate).loadUnaligned(as: UInt32.self) == word
            {
                let length = matchLength(at: here, candidate: candidate)
                let lengthCode = lengthCodes[length]
                literalFrequencies[257 &+ Int(lengthCode & 0xFF)] &+= 1
                let offset = distance &- 1
                let symbol = Int(distanceSymbols[offset < 256 ? offset : 256 &+ offset >> 7])
                distanceFrequencies[symbol] &+= 1
                extraBits &+= Int(lengthCode >> 8 & 0xFF) &+ Int(distanceExtra[symbol])
                tokens[tokenCount] = Self.matchFlag | UInt32(symbol) << 24 | UInt32(length) << 15 | UInt32(offset)
                here &+= length
                // The position two before the match's end is hashed too, so the next repeat can start there.
                if here &+ 2 <= count {
                    let tail = here &- 2
                    let tailWord = UnsafeRawPointer(input + tail).loadUnaligned(as: UInt32.self)
                    table[Self.slot(of: tailWord)] = UInt32(truncatingIfNeeded: tail &+ base)
                }
            } else {
                let byte = input[here]
                literalFrequencies[Int(byte)] &+= 1
                tokens[tokenCount] = UInt32(byte)
                here &+= 1
            }
            tokenCount &+= 1
        }
        while here < blockEnd {
            let byte = input[here]
            literalFrequencies[Int(byte)] &+= 1
            tokens[tokenCount] = UInt32(byte)
            here += 1
            tokenCount += 1
        }
        position = here
        literalFrequencies[256] = 1
        return (tokenCount, extraBits)
    }

    /// The hash table slot of four input bytes (multiplicative hashing, the top ``GreedyDeflater/hashBits`` bits).
    @inline(__always)
    private static func slot(of word: UInt32) -> Int {
        Int((word &* 0x9E37_79B1) >> UInt32(32 - GreedyDeflater.hashBits))
    }

    /// How many bytes from `position` repeat those from `candidate` (whose first four are known equal), at most 258
    /// and never past the input's end.
    @inline(__always)
    private func matchLength(at position: Int, candidate: Int) -> Int {
        let limit = min(GreedyDeflater.longestMatch, count - position)
        var length = 4
        while length + 8 <= limit {
            let difference = UnsafeRawPointer(input + position + length).loadUnaligned(as: UInt64.self)
                ^ UnsafeRawPointer(input + candidate + length).loadUnaligned(as: UInt64.self)
            if difference != 0 { return length + difference.littleEndian.trailingZeroBitCount >> 3 }
            length += 8
        }
        while length < limit && input[position + length] == input[candidate + length] { length += 1 }
        return length
    }

    /// Writes one block in the cheapest of its three forms.
    private func writeBlock(
        tokenCount: Int,
        extraBits: Int,
        input range: Range<Int>,
        isFinal: Bool,
        into writer: inout DeflateBitWriter
    ) {
        let literals = UnsafeBufferPointer(start: literalFrequencies, count: DeflateScratch.literalSymbols)
        let distances = UnsafeBufferPointer(start: distanceFrequencies, count: DeflateScratch.distanceSymbols)
        let literalCode = HuffmanCode(frequencies: literals, maximumLength: 15)
        let distanceCode = HuffmanCode(frequencies: distances, maximumLength: 15)
        let header = DynamicBlockHeader(literalLengths: literalCode.lengths, distanceLengths: distanceCode.lengths)
        let dynamicBits = 3 + header.bitCount + literalCode.cost(of: literals) + distanceCode.cost(of: distances)
            + extraBits
        let fixedBits = 3 + Self.fixedLiteral.cost(of: literals) + Self.fixedDistance.cost(of: distances) + extraBits
        let storedBits = 3 + 7 + 32 + 8 * range.count
        let finalBit: UInt32 = isFinal ? 1 : 0
        if storedBits < min(dynamicBits, fixedBits) {
            writer.put(finalBit, count: 3)
            writer.alignToByte()
            let length = UInt32(range.count)
            writer.put(length | (~length & 0xFFFF) << 16, count: 32)
            writer.putAligned(UnsafeRawBufferPointer(start: input + range.lowerBound, count: range.count))
        } else if fixedBits <= dynamicBits {
            writer.put(finalBit | 1 << 1, count: 3)
            writeTokens(tokenCount, literalCode: Self.fixedLiteral, distanceCode: Self.fixedDistance, into: &writer)
        } else {
            writer.put(finalBit | 2 << 1, count: 3)
            header.write(into: &writer)
            writeTokens(tokenCount, literalCode: literalCode, distanceCode: distanceCode, into: &writer)
        }
    }

    /// Writes the block's tokens and its end-of-block symbol with the given codes.
    private func writeTokens(
        _ tokenCount: Int,
        literalCode: HuffmanCode,
        distanceCode: HuffmanCode,
        into writer: inout DeflateBitWriter
    ) {
        // Code and length packed per symbol: code in bits 0-15, length from bit 16.
        let literalEntries = (0..<DeflateScratch.literalSymbols).map {
            UInt32(literalCode.codes[$0]) | UInt32(literalCode.lengths[$0]) << 16
        }
        let distanceEntries = (0..<DeflateScratch.distanceSymbols).map {
            UInt32(distanceCode.codes[$0]) | UInt32(distanceCode.lengths[$0]) << 16
        }
        let lengthCodes = DeflateTables.lengthCodePointer
        let distanceExtra = DeflateTables.distanceExtraPointer
        let distanceBases = DeflateTables.distanceBasePointer
        literalEntries.withUnsafeBufferPointer { literalEntries in
            distanceEntries.withUnsafeBufferPointer { distanceEntries in
                for index in 0..<tokenCount {
                    let token = tokens[index]
                    if token & Self.matchFlag == 0 {
                        let entry = literalEntries[Int(token)]
                        writer.put(entry & 0xFFFF, count: Int(entry >> 16))
                        continue
                    }
                    let lengthCode = lengthCodes[Int(token >> 15 & 0x1FF)]
                    let lengthEntry = literalEntries[257 &+ Int(lengthCode & 0xFF)]
                    let lengthBits = lengthEntry >> 16
                    writer.put(
                        lengthEntry & 0xFFFF | (lengthCode >> 16) << lengthBits,
                        count: Int(lengthBits &+ (lengthCode >> 8 & 0xFF))
                    )
                    let symbol = Int(token >> 24 & 0x1F)
                    let distanceEntry = distanceEntries[symbol]
                    let distanceBits = distanceEntry >> 16
                    let extra = (token & 0x7FFF) &+ 1 &- distanceBases[symbol]
                    writer.put(
                        distanceEntry & 0xFFFF | extra << distanceBits,
                        count: Int(distanceBits &+ UInt32(distanceExtra[symbol]))
                    )
                }
            }
        }
        let end = literalEntries[256]
        writer.put(end & 0xFFFF, count: Int(end >> 16))
    }
}
