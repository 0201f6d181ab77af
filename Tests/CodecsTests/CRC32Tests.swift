import Codecs
import Testing

@Suite struct CRC32Tests {
    /// A reference CRC-32, bit by bit from the polynomial's definition (reflected 0xEDB88320).
    private func bitwise(_ bytes: ArraySlice<UInt8>, from crc: UInt32 = 0) -> UInt32 {
        var state = ~crc
        for byte in bytes {
            state ^= UInt32(byte)
            for _ in 0..<8 { state = state & 1 == 1 ? (state >> 1) ^ 0xEDB8_8320 : state >> 1 }
        }
        return ~state
    }

    private func crc(_ bytes: ArraySlice<UInt8>, from start: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { CRC32.update(start, $0) }
    }

    private func noise(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    @Test func matchesTheCheckValue() {
        // The catalogued check value of CRC-32/ISO-HDLC: the CRC of the nine ASCII digits "123456789".
        #expect(crc(ArraySlice("123456789".utf8)) == 0xCBF4_3926)
        #expect(crc([]) == 0)
        #expect(crc([], from: 0xDEAD_BEEF) == 0xDEAD_BEEF)
    }

    @Test func matchesTheDefinitionAtEveryLengthAndAlignment() {
        let bytes = noise(600, seed: 7)
        for count in 0...520 {
            for shift in [0, 1, 3, 8, 15] where shift + count <= bytes.count {
                let slice = bytes[shift..<(shift + count)]
                #expect(crc(slice) == bitwise(slice), "count \(count) shift \(shift)")
            }
        }
    }

    @Test func continuesAcrossPieces() {
        let bytes = noise(100_003, seed: 11)
        let whole = bitwise(bytes[...])
        #expect(crc(bytes[...]) == whole)
        for cut in [1, 63, 64, 65, 4_096, 99_939] {
            #expect(crc(bytes[cut...], from: crc(bytes[..<cut])) == whole, "cut \(cut)")
        }
    }

    @Test func foldsLongRunsOfEveryByte() {
        for byte: UInt8 in [0x00, 0xFF, 0x80, 0x01] {
            let bytes = [UInt8](repeating: byte, count: 70_000)
            #expect(crc(bytes[...]) == bitwise(bytes[...]), "byte \(byte)")
        }
    }
}
