import CZlib
import NetworkTestSupport
import Testing

@testable import Codecs

/// Lakemark's inflater against zlib's: the same bytes from every kind of member zlib writes, the same verdict on
/// corrupted members, and a clear error for each malformed construct of RFC 1951.
@Suite struct DeflateDecoderTests {
    private static let strategies = [Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED]

    /// Raw deflate data through ``DeflateDecoder`` alone, in an output that starts small and doubles.
    private func decodeRaw(_ body: [UInt8]) -> (output: [UInt8], consumed: Int)? {
        let input = body + [0]
        return input.withUnsafeBufferPointer { input -> (output: [UInt8], consumed: Int)? in
            let decoder = DeflateDecoder(input: input.baseAddress!, count: body.count, start: 0, historyStart: 0)
            var output = [UInt8](repeating: 0, count: 16)
            var written = 0
            while true {
                let progress = try? output.withUnsafeMutableBufferPointer { buffer in
                    try decoder.decode(into: buffer.baseAddress!, capacity: buffer.count, written: &written)
                }
                switch progress {
                case .finished?: return (Array(output[0..<written]), decoder.consumed)
                case .outputFull?: output += [UInt8](repeating: 0, count: output.count)
                case nil: return nil
                }
            }
        }
    }

    private func inflated(_ member: [UInt8], limit: Int = 1 << 24) -> [UInt8]? {
        try? Gzip.inflate(member, limit: limit)
    }

    @Test func decodesEveryLevelAndStrategyOfZlib() {
        let inputs: [[UInt8]] = [
            [], [0x41], Array("hello world\n".utf8), [UInt8](repeating: 0, count: 100_000),
            SplitMix64.mixed(count: 70_000, seed: 1), SplitMix64.mixed(count: 300_000, seed: 2),
            (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) },
        ]
        for (index, input) in inputs.enumerated() {
            for level: Int32 in [0, 1, 6, 9] {
                for strategy in Self.strategies {
                    let member = ZlibOracle.deflate(input, level: level, strategy: strategy)
                    #expect(inflated(member) == input, "input \(index) level \(level) strategy \(strategy)")
                }
            }
        }
    }

    @Test func resumesInTheMiddleOfEveryKindOfBlock() {
        // A large first member and a tiny last one: the output starts sized from the last member's trailer, so
        // the decoder runs out of room inside the first member's stored, fixed and dynamic blocks and resumes.
        let tail = Gzip.deflate(Array("end\n".utf8))
        for (level, strategy) in [(Int32(0), Z_DEFAULT_STRATEGY), (6, Z_FIXED), (6, Z_DEFAULT_STRATEGY), (1, Z_RLE)] {
            let input = SplitMix64.mixed(count: 200_000, seed: UInt64(level) &* 31 &+ UInt64(strategy))
            let stream = ZlibOracle.deflate(input, level: level, strategy: strategy) + tail
            #expect(inflated(stream) == input + Array("end\n".utf8), "level \(level) strategy \(strategy)")
            #expect(inflated(stream, limit: input.count + 4) != nil, "exactly at the limit")
            #expect(inflated(stream, limit: input.count + 3) == nil, "one byte over the limit")
        }
    }

    @Test func agreesWithZlibOnCorruptedMembers() {
        var random = SplitMix64(seed: 42)
        var accepted = 0
        for round in 0..<3_000 {
            let input = SplitMix64.mixed(count: Int.random(in: 0...3_000, using: &random), seed: UInt64(round))
            let strategy = Self.strategies[round % Self.strategies.count]
            var member = ZlibOracle.deflate(input, level: Int32(round % 10), strategy: strategy)
            switch round % 4 {
            case 0:
                // One to three flipped bits, most often in the deflate data.
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    let index = Int.random(in: 10..<max(11, member.count - 8), using: &random)
                    member[min(index, member.count - 1)] ^= 1 << UInt8.random(in: 0...7, using: &random)
                }
            case 1:
                member = Array(member.prefix(Int.random(in: 0..<member.count, using: &random)))
            case 2:
                let index = Int.random(in: 0..<member.count, using: &random)
                member[index] = UInt8.random(in: 0...255, using: &random)
            default:
                // A random run of bytes over the deflate data: headers of dynamic blocks with random lengths.
                let start = Int.random(in: 10..<max(11, member.count - 8), using: &random)
                for index in start..<min(member.count - 8, start + 40) {
                    member[index] = UInt8.random(in: 0...255, using: &random)
                }
            }
            #expect(inflated(member) == ZlibOracle.inflate(member), "round \(round)")
            // The same corruption behind a trailer that matches what zlib decodes from it, so that corrupted data
            // that still decodes is compared byte for byte rather than refused by the CRC-32.
            guard member.count > 18 else { continue }
            let body = Array(member[10..<(member.count - 8)])
            let expected = ZlibOracle.inflateRaw(body)
            let actual = decodeRaw(body)
            #expect(actual?.output == expected?.output, "round \(round), raw")
            #expect(actual?.consumed == expected?.consumed, "round \(round), raw")
            if let (output, consumed) = expected, consumed == body.count {
                accepted += 1
                #expect(inflated(self.member(body, content: output)) == output, "round \(round), trailer fixed")
            }
        }
        #expect(accepted > 300, "corrupted data that still decodes is compared too (\(accepted))")
    }

    // MARK: - Malformed constructs, written bit by bit

    /// Writes deflate bits least significant first, Huffman codes most significant first.
    private struct BitWriter {
        var bytes: [UInt8] = []
        var count = 0

        mutating func put(_ value: Int, bits: Int) {
            for bit in 0..<bits {
                if count % 8 == 0 { bytes.append(0) }
                bytes[bytes.count - 1] |= UInt8(value >> bit & 1) << UInt8(count % 8)
                count += 1
            }
        }

        mutating func code(_ value: Int, bits: Int) {
            for bit in (0..<bits).reversed() { put(value >> bit & 1, bits: 1) }
        }

        /// A fixed-code literal/length symbol (RFC 1951 §3.2.6).
        mutating func fixed(_ symbol: Int) {
            switch symbol {
            case 0...143: code(0x30 + symbol, bits: 8)
            case 144...255: code(0x190 + symbol - 144, bits: 9)
            case 256...279: code(symbol - 256, bits: 7)
            default: code(0xC0 + symbol - 280, bits: 8)
            }
        }
    }

    /// A gzip member around raw deflate bits, with the trailer of `content`.
    private func member(_ deflate: [UInt8], content: [UInt8] = []) -> [UInt8] {
        let crc = content.withUnsafeBytes { CRC32.update(0, $0) }
        let trailer = (0..<4).map { UInt8(truncatingIfNeeded: crc >> (8 * $0)) }
            + (0..<4).map { UInt8(truncatingIfNeeded: content.count >> (8 * $0)) }
        return [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3] + deflate + trailer
    }

    private func failure(_ deflate: [UInt8]) -> GzipError? {
        do {
            _ = try Gzip.inflate(member(deflate), limit: 1 << 20)
            return nil
        } catch {
            return error
        }
    }

    @Test func refusesEachMalformedConstruct() {
        var cases: [(String, [UInt8])] = []
        var writer = BitWriter()
        writer.put(1, bits: 1)
        writer.put(3, bits: 2)
        cases.append(("reserved block type", writer.bytes + [0, 0]))

        cases.append(("stored length and complement", [0x01, 0x05, 0x00, 0xFA, 0xFE] + [UInt8](repeating: 0, count: 5)))

        for (literals, distances) in [(30, 0), (0, 30)] {
            writer = BitWriter()
            writer.put(1, bits: 1)
            writer.put(2, bits: 2)
            writer.put(literals, bits: 5)
            writer.put(distances, bits: 5)
            writer.put(0, bits: 4)
            cases.append(("too many codes \(literals) \(distances)", writer.bytes + [0, 0, 0, 0]))
        }

        // A dynamic header whose code-length code has one code of one bit: incomplete, never allowed there.
        writer = BitWriter()
        writer.put(1, bits: 1)
        writer.put(2, bits: 2)
        writer.put(0, bits: 5)
        writer.put(0, bits: 5)
        writer.put(0, bits: 4)
        writer.put(1, bits: 3)  // symbol 16: length 1
        for _ in 0..<3 { writer.put(0, bits: 3) }
        cases.append(("incomplete code-length code", writer.bytes + [0, 0, 0, 0]))

        // Fixed block: literal 'a', then a match of distance 2 with one byte of history.
        writer = BitWriter()
        writer.put(1, bits: 1)
        writer.put(1, bits: 2)
        writer.fixed(0x61)
        writer.fixed(257)
        writer.code(1, bits: 5)
        writer.fixed(256)
        cases.append(("distance before the output", writer.bytes + [0, 0]))

        for (name, symbol) in [("length code 286", 286), ("length code 287", 287)] {
            writer = BitWriter()
            writer.put(1, bits: 1)
            writer.put(1, bits: 2)
            writer.fixed(0x61)
            writer.fixed(symbol)
            cases.append((name, writer.bytes + [0, 0, 0]))
        }
        for code in [30, 31] {
            writer = BitWriter()
            writer.put(1, bits: 1)
            writer.put(1, bits: 2)
            writer.fixed(0x61)
            writer.fixed(0x62)
            writer.fixed(257)
            writer.code(code, bits: 5)
            cases.append(("distance code \(code)", writer.bytes + [0, 0, 0]))
        }

        for (name, deflate) in cases {
            let error = failure(deflate)
            #expect(error?.code == .corrupt, "\(name): \(String(describing: error))")
            #expect(ZlibOracle.inflate(member(deflate)) == nil, "zlib refuses \(name) too")
        }
    }

    /// A dynamic block that decodes to nothing: only an end-of-block code (one bit), one distance code of one bit,
    /// lengths sent with a code-length code of two one-bit codes (for 1 and for runs of zeros).
    private func emptyDynamicBlock(into writer: inout BitWriter) {
        writer.put(0, bits: 1)
        writer.put(2, bits: 2)
        writer.put(0, bits: 5)  // 257 literal/length codes
        writer.put(0, bits: 5)  // 1 distance code
        writer.put(14, bits: 4)  // 18 code-length code lengths, in the format's order up to symbol 1
        for symbol in DeflateTables.codeLengthOrder.prefix(18) {
            writer.put(symbol == 18 || symbol == 1 ? 1 : 0, bits: 3)
        }
        writer.code(1, bits: 1)  // symbol 18: 11 + 127 = 138 zeros
        writer.put(127, bits: 7)
        writer.code(1, bits: 1)  // symbol 18: 11 + 107 = 118 zeros (symbols 138-255)
        writer.put(107, bits: 7)
        writer.code(0, bits: 1)  // end of block: length 1
        writer.code(0, bits: 1)  // the distance code: length 1
        writer.code(0, bits: 1)  // the block's end-of-block code
    }

    @Test func refusesMoreThanAThousandTinyDynamicBlocks() {
        for (count, accepted) in [(1_000, true), (1_001, false)] {
            var writer = BitWriter()
            for _ in 0..<count { emptyDynamicBlock(into: &writer) }
            writer.put(1, bits: 1)
            writer.put(1, bits: 2)
            writer.fixed(256)
            let stream = member(writer.bytes)
            #expect(ZlibOracle.inflate(stream) == [], "zlib reads \(count) empty dynamic blocks")
            if accepted {
                #expect(inflated(stream) == [])
            } else {
                #expect(failure(writer.bytes)?.detail == "more than 1,000 dynamic blocks of under 16 bytes")
            }
        }
        // Spread over members, they count for the whole stream.
        var writer = BitWriter()
        for _ in 0..<600 { emptyDynamicBlock(into: &writer) }
        writer.put(1, bits: 1)
        writer.put(1, bits: 2)
        writer.fixed(256)
        let half = member(writer.bytes)
        #expect(inflated(half + half) == nil)
        #expect(inflated(half) == [])
    }

    @Test func aStreamCutShortIsTruncatedNotCorrupt() {
        let input = SplitMix64.mixed(count: 20_000, seed: 9)
        let member = ZlibOracle.deflate(input, level: 6, strategy: Z_DEFAULT_STRATEGY)
        for cut in stride(from: 11, to: member.count - 8, by: 97) {
            var error: GzipError?
            do { _ = try Gzip.inflate(Array(member.prefix(cut)), limit: 1 << 20) } catch let caught { error = caught }
            #expect(error?.code == .truncated, "cut at \(cut): \(String(describing: error))")
        }
    }

    @Test func aFinalStoredBlockOfEveryLengthNearTheEnd() {
        // Stored blocks read their lengths from whole bytes after the bit buffer gives back what it holds.
        for count in [0, 1, 2, 7, 8, 9, 15, 16, 17, 65_535] {
            let input = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            let member = ZlibOracle.deflate(input, level: 0, strategy: Z_DEFAULT_STRATEGY)
            #expect(inflated(member) == input, "\(count) bytes")
        }
    }
}
