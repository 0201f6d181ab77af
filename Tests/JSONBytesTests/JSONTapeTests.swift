import Foundation
import JSONBytes
import NetworkTestSupport
import Testing

@Suite struct JSONTapeTests {
    private func tape(_ text: String) throws -> JSONTape { try JSONTape(parsing: Array(text.utf8)) }

    @Test func parsesNestedStructureWithRanges() throws {
        let text = #" {"a": [1, 2.5e3, {"b": null}], "c": "x\"y", "d": true} "#
        let tape = try tape(text)
        #expect(tape.kind(tape.rootIndex) == .object)
        #expect(tape.byteRange(0) == 1..<(text.utf8.count - 1))
        let array = try #require(tape.value(forKey: "a", in: 0))
        #expect(tape.kind(array) == .array)
        #expect(Array(tape.children(array)).count == 3)
        #expect(tape.string(try #require(tape.value(forKey: "c", in: 0))) == "x\"y")
        #expect(tape.kind(try #require(tape.value(forKey: "d", in: 0))) == .true)
        let inner = try #require(tape.value(atPath: ["a"]).flatMap { Array(tape.children($0)).last })
        #expect(tape.kind(try #require(tape.value(forKey: "b", in: inner))) == .null)
        #expect(tape.count(0) == 3)
    }

    @Test func containsLineBreaksTellsWhetherWhitespaceHeldCROrLF() throws {
        #expect(try tape("{\n}").containsLineBreaks)
        #expect(try tape("[1,\r2]").containsLineBreaks)
        #expect(try tape(" 1 \n").containsLineBreaks)
        #expect(try !tape("{\"a\":\"x\\ny\\r\",\t\"b\": [1, 2]}").containsLineBreaks)
    }

    @Test func caseInsensitiveLookupPrefersExactKey() throws {
        let tape = try tape(#"{"Description": "upper", "description": "lower"}"#)
        #expect(tape.string(try #require(tape.value(forKeyCaseInsensitive: "description", in: 0))) == "lower")
        #expect(tape.string(try #require(tape.value(forKeyCaseInsensitive: "DESCRIPTION", in: 0))) == "upper")
        #expect(tape.value(forKey: "DESCRIPTION", in: 0) == nil)
    }

    @Test func escapedKeysMatchDecoded() throws {
        let tape = try tape(#"{"a\u0062": 1}"#)
        #expect(tape.int64(try #require(tape.value(forKey: "ab", in: 0))) == 1)
    }

    @Test func decodesEscapesAndSurrogates() throws {
        let tape = try tape(#"["\n\t\\\/\u00e9\ud83d\ude00", "\ud800", "caf\u00C9"]"#)
        let values = tape.children(0).map { tape.string($0) }
        #expect(values == ["\n\t\\/é😀", "\u{FFFD}", "cafÉ"])
    }

    @Test func integersAndDoubles() throws {
        let tape = try tape("[0, -12, 9223372036854775807, 92233720368547758070, 1.5, -2e-3]")
        let nodes = Array(tape.children(0))
        #expect(tape.int64(nodes[0]) == 0)
        #expect(tape.int64(nodes[1]) == -12)
        #expect(tape.int64(nodes[2]) == Int64.max)
        #expect(tape.int64(nodes[3]) == nil)
        #expect(tape.int64(nodes[4]) == nil)
        #expect(tape.double(nodes[5]) == -0.002)
        #expect(String(decoding: tape.rawBytes(nodes[3]), as: UTF8.self) == "92233720368547758070")
    }

    @Test(arguments: [
        "", "   ", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01", "1.", "-", "1e", "+1", "NaN", "'a'",
        "\"abc", "\"a\u{01}b\"", "\"\\x\"", "\"\\u12G4\"", "{} {}", "[1] x", "tru", "nul", "{1:2}", "[\"a\" \"b\"]",
        "\u{FEFF}{}",
    ])
    func rejectsInvalid(_ text: String) {
        #expect(throws: JSONError.self) { try JSONTape(parsing: Array(text.utf8)) }
    }

    @Test func rejectsInvalidUTF8InStrings() {
        for bad: [UInt8] in [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80]] {
            let bytes = [UInt8(ascii: "\"")] + bad + [UInt8(ascii: "\"")]
            #expect(throws: JSONError.self) { try JSONTape(parsing: bytes) }
        }
        #expect((try? JSONTape(parsing: Array("\"é😀\"".utf8))) != nil)
    }

    @Test func depthLimitIsEnforcedWithoutRecursion() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONError.self) { try JSONTape(parsing: Array(deep.utf8)) }
        let ok = String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect((try? JSONTape(parsing: Array(ok.utf8))) != nil)
    }

    @Test func nodeLimitIsEnforced() {
        let text = "[" + Array(repeating: "1", count: 100).joined(separator: ",") + "]"
        #expect(throws: JSONError.self) { try JSONTape(parsing: Array(text.utf8), limits: JSONLimits(maxNodes: 50)) }
    }

    @Test func nonBlankStrings() throws {
        let tape = try tape(#"["", "  \n ", "\n\t", " x ", "\u0020"]"#)
        #expect(tape.children(0).map { tape.isNonBlankString($0) } == [false, false, false, true, true])
    }

    /// Agreement with Foundation's parser on random mutations of real-looking JSON.
    @Test func agreesWithFoundationOnMutations() throws {
        let seed = Array(#"{"a":[1,-2.5e+3,true,false,null],"b":{"c":"d\u00e9\n"},"e":"ü€😀","f":[]}"#.utf8)
        var generator = SplitMix64(seed: 0x1A4E_3A2C)
        let alphabet = Array(#"{}[]",:0123456789-+.eEtrufalsn\ x"#.utf8) + [0xC3, 0xA9, 0x01, 0xFF]
        for _ in 0..<3000 {
            var bytes = seed
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes.remove(at: position)
                case 1: bytes.insert(alphabet.randomElement(using: &generator)!, at: position)
                default: bytes[position] = alphabet.randomElement(using: &generator)!
                }
            }
            let ours = (try? JSONTape(parsing: bytes)) != nil
            let theirs = (try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil
            // Foundation tolerates trailing commas, which RFC 8259 forbids; that is the one allowed difference.
            let text = String(decoding: bytes, as: UTF8.self)
            let hasTrailingComma = text.contains(",]") || text.contains(",}")
            if ours != theirs && !(theirs && hasTrailingComma) {
                Issue.record("disagreement on \(String(decoding: bytes, as: UTF8.self)): ours \(ours)")
            }
        }
    }
}
