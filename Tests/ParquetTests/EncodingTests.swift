import Codecs
import Testing

@testable import Parquet

/// The Thrift compact encoder and the RLE / bit-packing hybrid against hand-computed bytes.
@Suite struct EncodingTests {
    @Test func thriftScalarsUseShortHeadersAndZigZagVarints() {
        var thrift = ThriftCompactWriter()
        thrift.beginStruct()
        thrift.i32(field: 1, 1)
        thrift.i64(field: 2, -1)
        thrift.i64(field: 3, 300)
        thrift.bool(field: 4, true)
        thrift.bool(field: 5, false)
        thrift.byte(field: 6, -2)
        thrift.endStruct()
        #expect(thrift.bytes == [0x15, 0x02, 0x16, 0x01, 0x16, 0xD8, 0x04, 0x11, 0x12, 0x13, 0xFE, 0x00])
    }

    @Test func thriftLongFieldJumpsAndBackwardIDsUseTheLongHeader() {
        var thrift = ThriftCompactWriter()
        thrift.beginStruct()
        thrift.string(field: 20, "ab")
        thrift.bool(field: 3, true)
        thrift.endStruct()
        #expect(thrift.bytes == [0x08, 0x28, 0x02, 0x61, 0x62, 0x01, 0x06, 0x00])
    }

    @Test func thriftNestedStructsRestartFieldIDs() {
        var thrift = ThriftCompactWriter()
        thrift.beginStruct()
        thrift.beginStruct(field: 4)
        thrift.i32(field: 1, -3)
        thrift.endStruct()
        thrift.i32(field: 5, 0)
        thrift.emptyStruct(field: 6)
        thrift.endStruct()
        #expect(thrift.bytes == [0x4C, 0x15, 0x05, 0x00, 0x15, 0x00, 0x1C, 0x00, 0x00])
    }

    @Test func thriftListsUseShortAndLongSizeHeaders() {
        var thrift = ThriftCompactWriter()
        thrift.beginStruct()
        thrift.beginList(field: 1, elementType: .i32, count: 3)
        for value: Int32 in [0, -1, 64] { thrift.i32Element(value) }
        thrift.beginList(field: 2, elementType: .binary, count: 15)
        for _ in 0..<15 { thrift.stringElement("x") }
        thrift.beginList(field: 3, elementType: .structure, count: 1)
        thrift.beginStruct()
        thrift.i32(field: 2, 7)
        thrift.endStruct()
        thrift.endStruct()
        let strings = Array(repeating: [UInt8]([0x01, 0x78]), count: 15).flatMap { $0 }
        let expected: [UInt8] = [0x19, 0x35, 0x00, 0x01, 0x80, 0x01] + [0x19, 0xF8, 0x0F] + strings
            + [0x19, 0x1C, 0x25, 0x0E, 0x00, 0x00]
        #expect(thrift.bytes == expected)
    }

    /// Encodes levels with the hybrid encoder.
    private func hybrid(_ values: [UInt8], bitWidth: Int) -> [UInt8] {
        var output: [UInt8] = []
        values.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: bitWidth, into: &output) }
        return output
    }

    @Test func bitPackingMatchesTheSpecExample() {
        // Encodings.md: 0…7 with bit width 3 pack to 10001000 11000110 11111010.
        #expect(hybrid([0, 1, 2, 3, 4, 5, 6, 7], bitWidth: 3) == [0x03, 0x88, 0xC6, 0xFA])
    }

    @Test func longRunsBecomeRLERuns() {
        #expect(hybrid(Array(repeating: 1, count: 8), bitWidth: 1) == [0x10, 0x01])
        #expect(hybrid(Array(repeating: 3, count: 300), bitWidth: 2) == [0xD8, 0x04, 0x03])
        #expect(hybrid(Array(repeating: 0, count: 5), bitWidth: 1) == [0x03, 0x00])
    }

    @Test func literalsBeforeARunAreToppedUpToWholeGroups() {
        // 7 alternating values, then 21 ones: one literal group takes the first 1 of the run, 20 ones stay a run.
        let values: [UInt8] = [0, 1, 0, 1, 0, 1, 0] + Array(repeating: 1, count: 21)
        #expect(hybrid(values, bitWidth: 1) == [0x03, 0xAA, 0x28, 0x01])
    }

    @Test func theLastGroupIsZeroPadded() {
        #expect(hybrid([5, 5, 5], bitWidth: 3) == [0x03, 0x6D, 0x01, 0x00])
    }

    @Test func wideDictionaryIndicesUseSeveralValueBytes() {
        var output: [UInt8] = []
        let indices: [UInt32] = Array(repeating: 0x1_0203, count: 9)
        indices.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: 17, into: &output) }
        #expect(output == [0x12, 0x03, 0x02, 0x01])
    }

    @Test func bitWidthsCoverTheLevels() {
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 0) == 0)
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 1) == 1)
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 2) == 2)
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 4) == 3)
        #expect(RLEHybridEncoder.bitWidth(forMaximum: 255) == 8)
    }

    @Test func byteArrayBoundsAreTruncatedToValidUTF8() {
        let long = Array(String(repeating: "a", count: 63).utf8) + Array("é and more".utf8)
        long.withUnsafeBytes { raw in
            // "é" straddles byte 64, so the lower bound stops before it and the upper bound increments the last "a".
            #expect(ColumnStatistics.lowerBound(raw) == Array(repeating: UInt8(ascii: "a"), count: 63))
            #expect(ColumnStatistics.upperBound(raw) == Array(repeating: UInt8(ascii: "a"), count: 62) + [0x62])
        }
        let short = Array("short".utf8)
        short.withUnsafeBytes { raw in
            #expect(ColumnStatistics.lowerBound(raw) == short)
            #expect(ColumnStatistics.upperBound(raw) == short)
        }
        let allHigh = Array(repeating: UInt8(0xFF), count: 70)
        allHigh.withUnsafeBytes { raw in #expect(ColumnStatistics.upperBound(raw) == nil) }
        let multibyte = Array(String(repeating: "é", count: 40).utf8)
        multibyte.withUnsafeBytes { raw in #expect(ColumnStatistics.upperBound(raw) == nil) }
    }

    @Test func pageCodecsProduceGzipMembersAndZstdFrames() throws {
        let body = Array(repeating: Array("parquet page body ".utf8), count: 100).flatMap { $0 }
        let gzip = PageCompressor(.gzip(level: 6)).withCompressed(body) { Array($0) }
        #expect(gzip.starts(with: [0x1F, 0x8B]))
        #expect(try Gzip.inflate(gzip, limit: body.count) == body)
        let zstd = PageCompressor(.zstd(level: 3)).withCompressed(body) { Array($0) }
        #expect(zstd.starts(with: [0x28, 0xB5, 0x2F, 0xFD]))
        #expect(try Zstd.decompress(zstd, limit: body.count) == body)
        #expect(PageCompressor(.uncompressed).withCompressed(body) { Array($0) } == body)
        #expect(PageCompressor(.zstd(level: 1)).codec == 6 && PageCompressor(.gzip(level: 1)).codec == 2)
    }
}
