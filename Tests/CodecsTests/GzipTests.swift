import Codecs
import Testing

@Suite struct GzipTests {
    /// `gzip.compress(b"hello world\n", mtime=0)` from Python's standard library.
    static let helloMember: [UInt8] = [
        31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 203, 72, 205, 201, 201, 87, 40, 207, 47, 202, 73, 225, 2, 0,
        45, 59, 8, 175, 12, 0, 0, 0,
    ]
    static let hello = Array("hello world\n".utf8)

    private func inflateError(_ bytes: [UInt8], limit: Int = 1 << 20) -> GzipError? {
        do {
            _ = try Gzip.inflate(bytes, limit: limit)
            return nil
        } catch {
            return error
        }
    }

    private func sample(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 / 3) &* 31 ^ $0 >> 9) }
    }

    @Test func detectsTheMagic() {
        #expect(Gzip.isGzip(Self.helloMember))
        #expect(!Gzip.isGzip(Array("{}".utf8)))
        #expect(!Gzip.isGzip([0x1F]))
        #expect(!Gzip.isGzip([]))
    }

    @Test func inflatesAKnownMember() throws {
        #expect(try Gzip.inflate(Self.helloMember, limit: 100) == Self.hello)
    }

    @Test func deflateRoundTripsAtEveryLevel() throws {
        for size in [0, 1, 100, 65_536, 300_000, 2_000_000] {
            let bytes = sample(size)
            for level in [0, 1, 6, 9] {
                let member = Gzip.deflate(bytes, level: level)
                #expect(member.prefix(3) == [0x1F, 0x8B, 0x08])
                let isize = member.suffix(4).reversed().reduce(0) { $0 << 8 | Int($1) }
                #expect(isize == size)
                #expect(try Gzip.inflate(member, limit: size) == bytes)
            }
        }
    }

    @Test func clampsOutOfRangeLevels() throws {
        let bytes = sample(10_000)
        #expect(try Gzip.inflate(Gzip.deflate(bytes, level: -5), limit: 10_000) == bytes)
        #expect(try Gzip.inflate(Gzip.deflate(bytes, level: 42), limit: 10_000) == bytes)
    }

    @Test func inflatesEveryMember() throws {
        let second = sample(500_000)
        let stream = Self.helloMember + Gzip.deflate(second) + Gzip.deflate([]) + Self.helloMember
        #expect(try Gzip.inflate(stream, limit: 1 << 20) == Self.hello + second + Self.hello)
    }

    @Test func rejectsTruncatedStreams() {
        let member = Gzip.deflate(sample(100_000))
        for cut in [1, 4, 8, 9, member.count / 2, member.count - 11] {
            #expect(inflateError(Array(member.dropLast(cut)))?.code == .truncated, "cut \(cut)")
        }
        #expect(inflateError(Array(Self.helloMember.prefix(2)))?.code == .truncated)
        #expect(inflateError(Self.helloMember + [0x1F])?.code == .truncated)
    }

    @Test func rejectsABadChecksumOrLength() {
        var badCRC = Self.helloMember
        badCRC[badCRC.count - 8] ^= 0x01
        let crcError = inflateError(badCRC)
        #expect(crcError?.code == .checksumMismatch)
        #expect(crcError?.detail == "incorrect data check")
        var badLength = Self.helloMember
        badLength[badLength.count - 1] ^= 0x40
        #expect(inflateError(badLength)?.code == .checksumMismatch)
        #expect(inflateError(badLength)?.detail == "incorrect length check")
        let large = Gzip.deflate(sample(300_000))
        var badLargeCRC = large
        badLargeCRC[large.count - 5] ^= 0x80
        #expect(inflateError(Self.helloMember + badLargeCRC)?.code == .checksumMismatch)
    }

    @Test func rejectsCorruptData() {
        var reservedBlockType = Self.helloMember
        reservedBlockType[10] = 0xFF
        #expect(inflateError(reservedBlockType)?.code == .corrupt)
        var badMethod = Self.helloMember
        badMethod[2] = 0x07
        #expect(inflateError(badMethod)?.code == .corrupt)
    }

    /// The hello member with every optional header field, as RFC 1952 lays them out: FTEXT, FHCRC, FEXTRA
    /// (subfield "LM", empty), FNAME "hello.txt", FCOMMENT "note", and the header's CRC-16 (Python's zlib.crc32).
    static let helloWithEveryField: [UInt8] = [
        31, 139, 8, 31, 0, 0, 0, 0, 0, 3, 4, 0, 76, 77, 0, 0, 104, 101, 108, 108, 111, 46, 116, 120, 116, 0, 110,
        111, 116, 101, 0, 32, 41, 203, 72, 205, 201, 201, 87, 40, 207, 47, 202, 73, 225, 2, 0, 45, 59, 8, 175, 12,
        0, 0, 0,
    ]

    @Test func readsEveryOptionalHeaderField() throws {
        let member = Self.helloWithEveryField
        #expect(try Gzip.inflate(member, limit: 100) == Self.hello)
        let three = Self.helloMember + member + member
        #expect(try Gzip.inflate(three, limit: 100) == Self.hello + Self.hello + Self.hello)
        var badHeaderCRC = member
        badHeaderCRC[31] ^= 0x01
        #expect(inflateError(badHeaderCRC) == GzipError(code: .corrupt, inputOffset: 31, detail: "header crc mismatch"))
        var reservedFlag = member
        reservedFlag[3] |= 0x20
        #expect(inflateError(reservedFlag)?.detail == "unknown header flags set")
        var longExtra = member
        longExtra[10] = 0xFF
        #expect(inflateError(longExtra)?.code == .truncated)
        for cut in [11, 14, 20, 28, 31, 32] {
            #expect(inflateError(Array(member.prefix(cut)))?.code == .truncated, "cut at \(cut)")
            #expect(inflateError(Self.helloMember + member.prefix(cut))?.code == .truncated, "second, cut at \(cut)")
        }
    }

    @Test func rejectsTrailingGarbage() {
        let garbage = Self.helloMember + Array("xyz".utf8)
        // The error also says what was decompressed before it: the 12 bytes of the member.
        #expect(inflateError(garbage) == GzipError(code: .trailingGarbage, inputOffset: 32, outputCount: 12))
        #expect(inflateError(Self.helloMember + [0, 0, 0, 0])?.code == .trailingGarbage)
        #expect(inflateError(Self.helloMember + [0x0A])?.code == .trailingGarbage)
    }

    @Test func rejectsDataThatIsNotGzip() {
        #expect(inflateError(Array("{\"requestId\":\"x\"}".utf8)) == GzipError(code: .notGzip, inputOffset: 0))
        #expect(inflateError([])?.code == .notGzip)
    }

    @Test func enforcesTheLimitExactly() throws {
        let bytes = sample(300_000)
        let member = Gzip.deflate(bytes)
        #expect(try Gzip.inflate(member, limit: 300_000) == bytes)
        #expect(inflateError(member, limit: 299_999)?.code == .tooLarge)
        // A refused stream is decompressed one byte past the limit and no further.
        #expect(inflateError(member, limit: 299_999)?.outputCount == 300_000)
        #expect(inflateError(member, limit: 1_000)?.outputCount == 1_001)
        #expect(inflateError(member, limit: 0)?.code == .tooLarge)
        #expect(inflateError(member, limit: -1)?.code == .tooLarge)
        #expect(try Gzip.inflate(Gzip.deflate([]), limit: 0) == [])
        let twoMembers = member + member
        #expect(inflateError(twoMembers, limit: 599_999)?.code == .tooLarge)
        #expect(try Gzip.inflate(twoMembers, limit: 600_000).count == 600_000)
    }

    @Test func smallMembersReserveNoMoreThanTheirSize() throws {
        // A batch keeps every record's inflated bytes: a tiny member must not hold a large reservation.
        let tiny = Gzip.deflate(Array(#"{"message":"login 1"}"#.utf8))
        let inflated = try Gzip.inflate(tiny, limit: 1 << 24)
        #expect(inflated == Array(#"{"message":"login 1"}"#.utf8))
        #expect(inflated.capacity < 256)
        var lying = tiny
        lying.replaceSubrange((lying.count - 4)..<lying.count, with: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(inflateError(lying)?.code == .checksumMismatch)
        // An empty last member: the output starts at one byte and grows, still without a large reservation.
        let twoMembers = try Gzip.inflate(tiny + Gzip.deflate([]), limit: 1 << 24)
        #expect(twoMembers == Array(#"{"message":"login 1"}"#.utf8))
        #expect(twoMembers.capacity < 1_024)
    }

    @Test func stopsAGzipBombAtTheCap() {
        // 64 members of 16 MiB of zeros: about 1 MiB of input that would expand to 1 GiB.
        let member = Gzip.deflate([UInt8](repeating: 0, count: 16 << 20), level: 9)
        let bomb = Array([[UInt8]](repeating: member, count: 64).joined())
        #expect(bomb.count < 2 << 20)
        let error = inflateError(bomb, limit: 65 << 20)
        #expect(error?.code == .tooLarge)
        #expect((error?.inputOffset ?? .max) < bomb.count / 2)
    }

    @Test func sizeHintLiesAreHarmless() throws {
        var lyingTrailer = Gzip.deflate(sample(1000))
        let count = lyingTrailer.count
        lyingTrailer.replaceSubrange((count - 4)..<count, with: [0xFF, 0xFF, 0xFF, 0x7F])
        #expect(inflateError(lyingTrailer)?.code == .checksumMismatch)
        // A trailer that understates: the result's first allocation fills up and decoding goes on through the
        // scratch buffer to the same verdict.
        var shortTrailer = Gzip.deflate(sample(200_000))
        shortTrailer.replaceSubrange((shortTrailer.count - 4)..<shortTrailer.count, with: [10, 0, 0, 0])
        #expect(inflateError(shortTrailer)?.code == .checksumMismatch)
        // Members after a small last one: the first allocation is too small and the rest is appended.
        let stream = Gzip.deflate(sample(200_000)) + Gzip.deflate(sample(3))
        #expect(try Gzip.inflate(stream, limit: 200_003) == sample(200_000) + sample(3))
    }

    @Test func writerStreamsPiecesIntoOneMember() throws {
        let writer = GzipWriter()
        var expected: [UInt8] = []
        for index in 0..<2000 {
            let line = Array("{\"event\":\(index),\"pad\":\"\(String(repeating: "x", count: index % 97))\"}\n".utf8)
            writer.append(line)
            expected += line
        }
        #expect(writer.uncompressedCount == expected.count)
        let member = writer.finish()
        #expect(try Gzip.inflate(member, limit: expected.count) == expected)
        #expect(member.count < expected.count / 4)
    }

    @Test func writerIsReusableAfterFinish() throws {
        let writer = GzipWriter(level: 6)
        writer.append(Self.hello)
        let first = writer.finish()
        #expect(writer.uncompressedCount == 0)
        #expect(writer.compressedCount == 0)
        let large = sample(1_500_000)
        writer.append(large)
        let second = writer.finish()
        #expect(try Gzip.inflate(first, limit: 100) == Self.hello)
        #expect(try Gzip.inflate(second, limit: large.count) == large)
        #expect(try Gzip.inflate(GzipWriter().finish(), limit: 0) == [])
    }

    @Test func reusedStreamsWriteTheSameBytesAsNewOnes() throws {
        let inputs = [sample(200_000), Self.hello, [], sample(70_000)]
        // Level 1 is the greedy deflater; levels 2-9 use pooled zlib streams.
        let fresh = inputs.map { input in
            let writer = GzipWriter(level: 2)
            writer.append(input)
            return writer.finish()
        }
        for _ in 0..<2 {
            #expect(inputs.map { Gzip.deflate($0, level: 2) } == fresh)
        }
        #expect(Gzip.deflate(inputs[0], level: 6) != fresh[0])
        #expect(try Gzip.inflate(Gzip.deflate(inputs[0], level: 6), limit: inputs[0].count) == inputs[0])
    }

    @Test func pooledStreamsServeConcurrentCallers() {
        let input = sample(100_000)
        for level in [1, 2] {
            let expected = Gzip.deflate(input, level: level)
            #expect(concurrentMismatches(expected: expected) { Gzip.deflate(input, level: level) } == 0)
        }
    }
}
