import Codecs
import Foundation
import Testing

@Suite struct ZstdTests {
    /// `printf 'hello world\n' | zstd -c --no-check` (zstd 1.5.4): one frame, no content size, no checksum.
    static let helloFrame: [UInt8] = [
        0x28, 0xB5, 0x2F, 0xFD, 0x00, 0x58, 0x61, 0x00, 0x00, 0x68, 0x65, 0x6C, 0x6C, 0x6F, 0x20, 0x77, 0x6F, 0x72,
        0x6C, 0x64, 0x0A,
    ]
    static let hello = Array("hello world\n".utf8)

    private func decompressError(_ bytes: [UInt8], limit: Int = 1 << 20) -> ZstdError? {
        do {
            _ = try Zstd.decompress(bytes, limit: limit)
            return nil
        } catch {
            return error
        }
    }

    private func sample(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 / 3) &* 31 ^ $0 >> 9) }
    }

    @Test func detectsTheMagic() {
        #expect(Zstd.isZstd(Self.helloFrame))
        #expect(Zstd.isZstd([0x50, 0x2A, 0x4D, 0x18]))
        #expect(!Zstd.isZstd([0x1F, 0x8B, 0x08, 0x00]))
        #expect(!Zstd.isZstd([0x28, 0xB5, 0x2F]))
    }

    @Test func decompressesAKnownFrame() throws {
        #expect(try Zstd.decompress(Self.helloFrame, limit: 100) == Self.hello)
    }

    @Test func oneShotAndStreamedFramesRoundTrip() throws {
        let input = sample(300_000)
        let oneShot = Zstd.compress(input)
        #expect(oneShot.count < input.count / 4)
        #expect(try Zstd.decompress(oneShot, limit: input.count) == input)
        let writer = ZstdWriter(level: 19)
        for start in stride(from: 0, to: input.count, by: 7_777) {
            writer.append(Array(input[start..<min(start + 7_777, input.count)]))
        }
        #expect(writer.uncompressedCount == input.count)
        let streamed = writer.finish()
        #expect(try Zstd.decompress(streamed, limit: input.count) == input)
        // The writer is reusable after finish, and an empty frame is valid.
        #expect(try Zstd.decompress(writer.finish(), limit: 0) == [])
        #expect(try Zstd.decompress(writer.compress([]), limit: 0) == [])
    }

    @Test func levelsAreClamped() {
        #expect(ZstdWriter(level: 1_000).level == 22)
        #expect(ZstdWriter(level: -1_000_000).level < 0)
    }

    @Test func concatenatedFramesAndSkippableFramesDecompressLikeTheCLI() throws {
        let skippable: [UInt8] = [0x50, 0x2A, 0x4D, 0x18, 0x03, 0x00, 0x00, 0x00, 0xAA, 0xBB, 0xCC]
        let stream = Self.helloFrame + skippable + Zstd.compress(Array("again".utf8))
        #expect(try Zstd.decompress(stream, limit: 100) == Self.hello + Array("again".utf8))
    }

    @Test func framesThatExpandManyBlocksDecompressAfterTheInputIsConsumed() throws {
        // Each frame is read whole by the first call; its blocks are flushed by the following calls.
        var pattern: [UInt8] = []
        let block = (0..<251).map { UInt8($0) }
        while pattern.count < 3 << 20 { pattern += block }
        let half = pattern.count / 2
        let frames = Zstd.compress(Array(pattern[..<half]), level: 1) + Zstd.compress(Array(pattern[half...]), level: 1)
        #expect(frames.count < 10_000)
        #expect(try Zstd.decompress(frames, limit: 1 << 23) == pattern)
        #expect(try Zstd.decompress(Zstd.compress(pattern, level: 1), limit: 1 << 23) == pattern)
        #expect(decompressError(Array(frames.dropLast(3)), limit: 1 << 23)?.code == .truncated)
    }

    @Test func outputIsCappedAtTheLimit() throws {
        let bomb = Zstd.compress([UInt8](repeating: 0, count: 50_000_000), level: 1)
        #expect(bomb.count < 10_000)
        #expect(decompressError(bomb, limit: 1 << 20)?.code == .tooLarge)
        #expect(try Zstd.decompress(Self.helloFrame, limit: Self.hello.count) == Self.hello)
        #expect(decompressError(Self.helloFrame, limit: Self.hello.count - 1)?.code == .tooLarge)
    }

    @Test func damagedStreamsAreRefused() {
        let frame = Zstd.compress(sample(10_000))
        #expect(decompressError([])?.code == .notZstd)
        #expect(decompressError(Array("plain text".utf8))?.code == .notZstd)
        #expect(decompressError(Array(frame.dropLast(10)))?.code == .truncated)
        var badChecksum = frame
        badChecksum[badChecksum.count - 1] ^= 0xFF
        #expect(decompressError(badChecksum)?.code == .checksumMismatch)
        #expect(decompressError(frame + [0x00, 0x01, 0x02, 0x03])?.code == .corrupt)
        var corrupt = frame
        for index in 20..<40 { corrupt[index] ^= 0x5A }
        #expect(decompressError(corrupt) != nil)
    }

    /// Runs the zstd CLI with `input` on standard input, or returns `nil` when it is not installed.
    private func zstdCLI(_ arguments: [String], input: [UInt8]) throws -> [UInt8]? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["zstd"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Feed stdin from another thread so a large output cannot deadlock the pipes.
        let writer = Thread {
            stdin.fileHandleForWriting.write(Data(input))
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 127 ? nil : (process.terminationStatus == 0 ? [UInt8](output) : [])
    }

    @Test func theZstdCLIReadsOurFramesAndWeReadItsFrames() throws {
        let input = sample(200_000)
        guard let ours = try zstdCLI(["-d", "-c", "-q"], input: Zstd.compress(input, level: 5)) else {
            print("SKIP: the zstd CLI is not installed (scripts/deps.sh test installs it)")
            return
        }
        #expect(ours == input)
        let streamed = ZstdWriter()
        streamed.append(input)
        #expect(try zstdCLI(["-d", "-c", "-q"], input: streamed.finish()) == input)
        let theirs = try zstdCLI(["-c", "-q", "-9"], input: input) ?? []
        #expect(try Zstd.decompress(theirs, limit: input.count) == input)
    }

    @Test func reusedContextsWriteTheSameBytesAsNewOnes() throws {
        let inputs = [sample(300_000), Self.hello, [], sample(50_000)]
        let fresh = inputs.map { ZstdWriter(level: 1).compress($0) }
        for _ in 0..<2 {
            #expect(inputs.map { Zstd.compress($0, level: 1) } == fresh)
        }
        let smallest = Zstd.compress(inputs[0], level: 19)
        #expect(try Zstd.decompress(smallest, limit: inputs[0].count) == inputs[0])
        #expect(inputs.map { Zstd.compress($0, level: 1) } == fresh)
    }

    @Test func pooledContextsServeConcurrentCallers() {
        let input = sample(100_000)
        let expected = Zstd.compress(input, level: 1)
        #expect(concurrentMismatches(expected: expected) { Zstd.compress(input, level: 1) } == 0)
    }
}
