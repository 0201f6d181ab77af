import Codecs
import Foundation
import Testing

@Suite struct Base64Tests {
    /// RFC 4648 §10 test vectors.
    static let vectors: [(plain: String, encoded: String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    private func decode(_ text: String, _ options: Base64.DecodingOptions = .init()) throws(Base64Error) -> [UInt8] {
        try Base64.decode(Array(text.utf8), options: options)
    }

    private func failure(_ text: String, _ options: Base64.DecodingOptions = .init()) -> Base64Error? {
        do {
            _ = try decode(text, options)
            return nil
        } catch {
            return error
        }
    }

    @Test func encodesRFCVectors() {
        for vector in Self.vectors {
            #expect(String(decoding: Base64.encode(Array(vector.plain.utf8)), as: UTF8.self) == vector.encoded)
            #expect(Base64.encodedCount(of: vector.plain.utf8.count) == vector.encoded.utf8.count)
        }
    }

    @Test func decodesRFCVectors() throws {
        for vector in Self.vectors {
            #expect(try decode(vector.encoded) == Array(vector.plain.utf8))
        }
    }

    @Test func roundTripsEveryLengthAgainstFoundation() throws {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<600 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Base64.encode(bytes)
            #expect(encoded == Array(Data(bytes).base64EncodedString().utf8))
            #expect(try Base64.decode(encoded) == bytes)
        }
    }

    @Test func roundTripsALargeBuffer() throws {
        let bytes = (0..<3_000_001).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }
        let encoded = Base64.encode(bytes)
        #expect(encoded.count == Base64.encodedCount(of: bytes.count))
        #expect(try Base64.decode(encoded) == bytes)
    }

    @Test func acceptsUnpaddedInput() throws {
        #expect(try decode("aGVsbG8") == Array("hello".utf8))
        #expect(try decode("aGk") == Array("hi".utf8))
        #expect(try decode("aA") == Array("h".utf8))
    }

    @Test func requiresPaddingWhenAsked() throws {
        let strict = Base64.DecodingOptions(requiresPadding: true)
        #expect(failure("aGVsbG8", strict)?.code == .missingPadding)
        #expect(try decode("aGVsbG8=", strict) == Array("hello".utf8))
        #expect(try decode("Zm9vYmFy", strict) == Array("foobar".utf8))
    }

    @Test func rejectsWrongPadding() {
        #expect(failure("aGVsbG8==") == Base64Error(code: .invalidPadding, offset: 8))
        #expect(failure("aG=")?.code == .invalidPadding)
        #expect(failure("aGVs=bG8=") == Base64Error(code: .invalidPadding, offset: 4))
        #expect(failure("aGVsb=G8=")?.code == .invalidPadding)
        #expect(failure("a===")?.code == .invalidPadding)
        #expect(failure("=")?.code == .invalidPadding)
        #expect(failure("====")?.code == .invalidPadding)
        #expect(failure("aGk=aGk=")?.code == .invalidPadding)
        #expect(failure("Zm9v====")?.code == .invalidPadding)
    }

    @Test func rejectsTheURLSafeAlphabet() {
        #expect(failure("-_8=") == Base64Error(code: .invalidCharacter, offset: 0))
        #expect(failure("aGVsbG8-") == Base64Error(code: .invalidCharacter, offset: 7))
        #expect(failure("Pz8_") == Base64Error(code: .invalidCharacter, offset: 3))
        #expect(failure("aGk=-")?.code == .invalidCharacter)
    }

    @Test func rejectsOtherBytes() throws {
        #expect(failure("aGVs\u{0}bG8=") == Base64Error(code: .invalidCharacter, offset: 4))
        #expect(failure("aGVs.bG8=")?.code == .invalidCharacter)
        #expect(failure("aGVs\u{0B}bG8=")?.code == .invalidCharacter)
        let highByte: [UInt8] = [0x61, 0x47, 0xFF, 0x73]
        #expect(throws: Base64Error(code: .invalidCharacter, offset: 2)) { try Base64.decode(highByte) }
    }

    @Test func rejectsALoneTrailingCharacter() {
        #expect(failure("aGVsb") == Base64Error(code: .invalidLength, offset: 5))
        #expect(failure("a") == Base64Error(code: .invalidLength, offset: 1))
        #expect(failure("aGVsb\n")?.code == .invalidLength)
    }

    @Test func skipsMIMELineBreaks() throws {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let options: Data.Base64EncodingOptions = [
            .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
        ]
        let mime = Data(bytes).base64EncodedString(options: options)
        #expect(mime.contains("\r\n"))
        #expect(try decode(mime) == bytes)
        let unixLines = mime.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(try decode(unixLines) == bytes)
    }

    @Test func skipsWhitespaceAnywhere() throws {
        #expect(try decode("aGVsbG8=\r\n") == Array("hello".utf8))
        #expect(try decode(" aGVs bG8= ") == Array("hello".utf8))
        #expect(try decode("a\tG\nV\rs bG8") == Array("hello".utf8))
        #expect(try decode("aG\n=\r\n=") == Array("h".utf8))
        #expect(try decode("\r\n \t") == [])
    }

    @Test func rejectsWhitespaceWhenNotIgnored() {
        let strict = Base64.DecodingOptions(ignoresWhitespace: false)
        #expect(failure("aGVs\nbG8=", strict) == Base64Error(code: .invalidCharacter, offset: 4))
        #expect(failure("aGVsbG8=\r\n", strict)?.code == .invalidCharacter)
    }

    @Test func acceptsNonCanonicalTrailingBits() throws {
        #expect(try decode("aGVsbG9=") == Array("hello".utf8))
        #expect(try decode("aGVsbG9") == Array("hello".utf8))
        #expect(try decode("aB==") == Array("h".utf8))
    }

    @Test func decodesAnEmptyText() throws {
        #expect(try decode("") == [])
    }

    @Test func errorMessagesNameTheProblemWithoutTheInput() {
        let error = Base64Error(code: .invalidCharacter, offset: 12)
        #expect(error.description == "invalid base64 character at offset 12")
        #expect(Base64Error.Code.invalidPadding.description == "invalidPadding")
    }

    /// Random texts drawn from a biased alphabet: the fast decoder must agree with a plain reference.
    @Test func agreesWithAReferenceDecoderOnRandomTexts() {
        let pieces = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
            + Array("====\n\r \t-_.".utf8) + [0, 0xFF]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...24, using: &generator)
            let text = (0..<length).map { _ in
                Bool.random(using: &generator) ? pieces[Int.random(in: 0..<64, using: &generator)]
                    : pieces.randomElement(using: &generator)!
            }
            let actual = try? Base64.decode(text)
            #expect(actual == referenceDecode(text), "input \(text)")
        }
    }

    @Test func agreesWithAReferenceDecoderWhenRareOddBytesInterruptLongRuns() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let odd = Array("=\n\r \t-".utf8) + [0xFF]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            let length = Int.random(in: 8...80, using: &generator)
            let text = (0..<length).map { _ in
                Int.random(in: 0..<24, using: &generator) == 0 ? odd.randomElement(using: &generator)!
                    : alphabet.randomElement(using: &generator)!
            }
            let actual = try? Base64.decode(text)
            #expect(actual == referenceDecode(text), "input \(text)")
        }
    }

    /// Every byte value at every position of the first three 16-character blocks of a long text (the blocks the
    /// SSSE3 path decodes where the processor has it): same bytes as the reference, and an error at that offset.
    @Test func everyByteAtEveryPositionOfALongText() {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let valid = (0..<72).map { alphabet[($0 * 7 + 3) % 64] }
        let accepted = Set(alphabet + Array(" \t\r\n".utf8))
        for position in 0..<48 {
            for byte in UInt8.min...UInt8.max {
                var text = valid
                text[position] = byte
                let actual = try? Base64.decode(text)
                #expect(actual == referenceDecode(text), "byte \(byte) at \(position)")
                if !accepted.contains(byte) && byte != UInt8(ascii: "=") {
                    let error = #expect(throws: Base64Error.self) { try Base64.decode(text) }
                    #expect(error == Base64Error(code: .invalidCharacter, offset: position), "byte \(byte)")
                }
            }
        }
    }

    /// A slow, obviously correct decoder with the same decisions, used as the oracle.
    private func referenceDecode(_ text: [UInt8]) -> [UInt8]? {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        let kept = text.filter { !Array(" \t\r\n".utf8).contains($0) }
        let data = Array(kept.prefix { $0 != UInt8(ascii: "=") })
        let padding = kept.count - data.count
        guard kept.dropFirst(data.count).allSatisfy({ $0 == UInt8(ascii: "=") }) else { return nil }
        guard data.count % 4 != 1 else { return nil }
        if padding > 0 && (data.count + padding) % 4 != 0 || padding > 0 && data.count % 4 == 0 { return nil }
        var values: [UInt32] = []
        for character in data {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            values.append(UInt32(value))
        }
        var output: [UInt8] = []
        var index = 0
        while index < values.count {
            let group = values[index..<min(index + 4, values.count)]
            var bits: UInt32 = 0
            for value in group { bits = bits << 6 | value }
            bits <<= 6 * UInt32(4 - group.count)
            let bytes = [bits >> 16, bits >> 8, bits].map { UInt8(truncatingIfNeeded: $0) }
            output += bytes.prefix(group.count - 1)
            index += 4
        }
        return output
    }
}
