import Foundation
import NetworkTestSupport
import Testing

@testable import Codecs

/// The greedy deflater (gzip level 1) checked against zlib's inflate (``ZlibOracle``), Lakemark's own, GNU gzip
/// and zlib's own level 1.
@Suite struct GreedyDeflaterTests {
    /// NDJSON shaped like enriched events.
    private func events(_ count: Int) -> [UInt8] {
        var text = ""
        for index in 0..<count {
            text += #"{"eventName":"PutObject","eventID":"\#(index * 7919)","#
            text += #""sourceIPAddress":"10.0.\#(index % 256).1","#
            text += #""secberus_compliance":[{"framework_id":"nist_800_53_r5","control_id":"AC-\#(index % 25)","#
            text += #""family":"Access Control","similarity":0.\#(index % 97),"confidence":"Medium"}]}"# + "\n"
        }
        return Array(text.utf8)
    }

    private func roundTrip(_ bytes: [UInt8], _ comment: Comment? = nil) throws {
        let member = Gzip.deflate(bytes, level: 1)
        #expect(member.prefix(10) == [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 4, 3], comment)
        #expect(try Gzip.inflate(member, limit: bytes.count) == bytes, comment)
        #expect(ZlibOracle.inflate(member) == bytes, comment)
    }

    @Test func edgeSizesRoundTrip() throws {
        for size in [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 255, 258, 259, 262, 1000] {
            try roundTrip(Array(repeating: 0x61, count: size), "run of \(size)")
            try roundTrip(SplitMix64.mixed(count: size, seed: UInt64(size)), "mixed \(size)")
        }
    }

    @Test func blockBoundariesRoundTrip() throws {
        let block = GreedyDeflater.blockInputBytes
        for size in [block - 1, block, block + 1, block + 258, 2 * block + 3, 5 * block] {
            try roundTrip(SplitMix64.mixed(count: size, seed: UInt64(size) << 8), "mixed \(size)")
            try roundTrip(Array(repeating: 0x7B, count: size), "run of \(size)")
        }
    }

    @Test func randomInputsRoundTrip() throws {
        var random = SplitMix64(seed: 42)
        for seed in 0..<60 {
            let size = Int.random(in: 0...200_000, using: &random)
            try roundTrip(SplitMix64.mixed(count: size, seed: UInt64(seed)), "seed \(seed), \(size) bytes")
        }
    }

    @Test func incompressibleInputIsStoredNotExpanded() throws {
        var random = SplitMix64(seed: 7)
        let noise = (0..<300_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let member = Gzip.deflate(noise, level: 1)
        #expect(member.count <= noise.count + 18 + 6 * (noise.count / GreedyDeflater.blockInputBytes + 1))
        #expect(try Gzip.inflate(member, limit: noise.count) == noise)
        #expect(ZlibOracle.inflate(member) == noise)
    }

    @Test func longestMatchAndFarthestDistanceRoundTrip() throws {
        var random = SplitMix64(seed: 3)
        let head = (0..<GreedyDeflater.windowBytes).map { _ in UInt8.random(in: 0...255, using: &random) }
        // The copy starts exactly 32,768 bytes back and runs well past 258 bytes.
        let bytes = head + head.prefix(1_000) + Array(repeating: 0x20, count: 600)
        try roundTrip(bytes)
        #expect(Gzip.deflate(bytes, level: 1).count < head.count + 500)
    }

    @Test func trailerHoldsTheCRCAndLength() {
        let bytes = events(50)
        let member = Gzip.deflate(bytes, level: 1)
        let crc = member.suffix(8).prefix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let length = member.suffix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(length == UInt32(bytes.count))
        // CRC-32 of the same bytes through zlib's own member.
        let zlibMember = GzipWriter(level: 6)
        zlibMember.append(bytes)
        let reference = zlibMember.finish()
        #expect(crc == reference.suffix(8).prefix(4).reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) })
    }

    @Test func compressesEventsNearZlibLevelOne() throws {
        let bytes = events(4_000)
        let ours = Gzip.deflate(bytes, level: 1)
        let zlib = GzipWriter(level: 1)
        zlib.append(bytes)
        let reference = zlib.finish()
        #expect(try Gzip.inflate(ours, limit: bytes.count) == bytes)
        #expect(ZlibOracle.inflate(ours) == bytes)
        #expect(Double(ours.count) <= Double(reference.count) * 1.15, "\(ours.count) vs zlib \(reference.count)")
        #expect(ours.count * 5 < bytes.count)
    }

    @Test func gnuGzipDecodesTheMembers() throws {
        let gzip = ["/usr/bin/gzip", "/bin/gzip"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let gzip else {
            Issue.record("GNU gzip is not installed; scripts/deps.sh installs it")
            return
        }
        let inputs = [events(2_000), SplitMix64.mixed(count: 150_000, seed: 11), [], Array("x".utf8)]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("greedy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (index, input) in inputs.enumerated() {
            let file = directory.appendingPathComponent("\(index).gz")
            try Data(Gzip.deflate(input, level: 1)).write(to: file)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: gzip)
            process.arguments = ["-dc", file.path]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let decoded = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "input \(index)")
            #expect([UInt8](decoded) == input, "input \(index)")
        }
    }

    @Test func reusedScratchIgnoresEarlierInputsAndSurvivesTheBaseWrapping() throws {
        let scratch = DeflateScratch()
        let first = SplitMix64.mixed(count: 100_000, seed: 5)
        let second = SplitMix64.mixed(count: 100_000, seed: 6)
        // The second input's table entries from the first must not be taken for matches.
        for input in [first, second, first] {
            let member = input.withUnsafeBytes { GreedyDeflater.gzipMember($0, scratch: scratch) }
            #expect(try Gzip.inflate(member, limit: input.count) == input)
        }
        scratch.positionBase = UInt32.max - 50_000
        for input in [second, first] {
            let member = input.withUnsafeBytes { GreedyDeflater.gzipMember($0, scratch: scratch) }
            #expect(try Gzip.inflate(member, limit: input.count) == input)
        }
        #expect(scratch.positionBase < 300_000)
    }

    @Test func huffmanLengthsStayWithinTheLimitAndFormACompleteCode() {
        // Fibonacci frequencies make an unlimited Huffman tree as deep as there are symbols.
        var frequencies: [UInt32] = [1, 1]
        while frequencies.count < 30 { frequencies.append(frequencies.suffix(2).reduce(0, +)) }
        for limit in [7, 15] {
            let code = frequencies.withUnsafeBufferPointer { HuffmanCode(frequencies: $0, maximumLength: limit) }
            #expect(code.lengths.allSatisfy { $0 >= 1 && Int($0) <= limit })
            let kraft = code.lengths.reduce(0.0) { $0 + pow(2.0, -Double($1)) }
            #expect(kraft == 1.0)
        }
        let single = [UInt32](repeating: 0, count: 29) + [9]
        let code = single.withUnsafeBufferPointer { HuffmanCode(frequencies: $0, maximumLength: 15) }
        #expect(code.lengths.filter { $0 == 1 }.count == 2)
    }
}
