import JSONBytes
import Testing

/// The parser's verdicts pinned to the byte: the code and offset of each error on malformed text (truncated strings
/// and escapes, bad numbers and literals, invalid UTF-8, nesting and node limits), and whole tapes where the node
/// buffer grows, so that a faster parse loop keeps every answer of the one before it.
@Suite struct JSONTapeParserErrorTests {
    private func error(_ bytes: [UInt8], limits: JSONLimits = JSONLimits()) -> String? {
        do {
            _ = try JSONTape(parsing: bytes, limits: limits)
            return nil
        } catch {
            return "\(error.code) \(error.offset)"
        }
    }

    @Test(arguments: [
        ("\"abc", "unexpectedEnd 4"), ("{\"a\":\"x\\", "unexpectedEnd 7"), ("[\"\\u12", "unexpectedEnd 2"),
        ("[\"\\u12\"]", "invalidString 6"), ("{\"k\":\"a\\q\"}", "invalidString 8"),
        ("{\"a\" :1 , \"b\"\n:\t[ ] }x", "trailingBytes 21"), ("{\"a\":1,}", "unexpectedByte 7"),
        ("[1,]", "unexpectedByte 3"), ("{\"a\" 1}", "unexpectedByte 5"), ("{1:2}", "unexpectedByte 1"),
        ("[1 2]", "unexpectedByte 3"), ("[-]", "invalidNumber 2"), ("[1.]", "invalidNumber 3"),
        ("[1e+]", "invalidNumber 4"), ("[01]", "unexpectedByte 2"), ("[tru]", "unexpectedByte 4"),
        ("[nulL]", "unexpectedByte 4"), ("[fals", "unexpectedEnd 1"), ("  ", "empty 2"), ("{\"a\":", "unexpectedEnd 5"),
        ("{\"a\"", "unexpectedEnd 4"), ("{", "unexpectedEnd 1"), ("[", "unexpectedEnd 1"), ("[1", "unexpectedEnd 2"),
    ])
    func malformedTextFailsWhereItBreaks(text: String, expected: String) {
        #expect(error(Array(text.utf8)) == expected, "\(text.debugDescription)")
    }

    @Test func invalidUTF8FailsAtTheOffendingByte() {
        let cases: [([UInt8], String)] = [
            ([0x22, 0xC3], "invalidString 1"), ([0x22, 0xE2, 0x82, 0x22], "invalidString 3"),
            ([0x22, 0xED, 0xA0, 0x80, 0x22], "invalidString 2"),
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "invalidString 2"),
            ([0x22, 0x61, 0xC0, 0x80, 0x22], "invalidString 2"), ([0x22, 0xF0, 0x9F, 0x98, 0x22], "invalidString 4"),
        ]
        for (bytes, expected) in cases {
            #expect(error(bytes) == expected, "\(bytes)")
        }
    }

    @Test func depthAndNodeLimitsFailAtTheValueThatPassesThem() {
        #expect(error(Array("[[[]]]".utf8), limits: JSONLimits(maxDepth: 2)) == "tooDeep 2")
        #expect(error(Array("[{\"a\":{}}]".utf8), limits: JSONLimits(maxDepth: 2)) == "tooDeep 6")
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(error(Array(deep.utf8)) == "tooDeep 512")
        #expect(error(Array("[1,2,3]".utf8), limits: JSONLimits(maxNodes: 3)) == "tooLarge 5")
        #expect(error(Array("[1,2,3]".utf8), limits: JSONLimits(maxNodes: 4)) == nil)
        #expect(error(Array("[\"a\",\"b\"]".utf8), limits: JSONLimits(maxNodes: 2)) == "tooLarge 5")
        #expect(error(Array("{}".utf8), limits: JSONLimits(maxNodes: 0)) == "tooLarge 0")
        #expect(error(Array("{}".utf8), limits: JSONLimits(maxNodes: -1)) == "tooLarge 0")
    }

    /// Arrays of 15 to 200 numbers: the node buffer (a sixteenth of the size plus 16) is outgrown from 17 on; the
    /// node limit set to that first size fails at the first node past it, whether or not the buffer had to grow.
    @Test(arguments: [15, 16, 17, 40, 200])
    func tapesThatOutgrowTheFirstBufferKeepEveryNode(count: Int) throws {
        let text = "[" + (0..<count).map(String.init).joined(separator: ",") + "]"
        let tape = try JSONTape(parsing: Array(text.utf8))
        #expect(tape.nodeCount == count + 1)
        #expect(tape.children(0).map { tape.int64($0) } == (0..<count).map { Int64($0) })
        #expect(tape.nextSibling(0) == count + 1)
        let firstSize = text.utf8.count / 16 + 16
        let limited = error(Array(text.utf8), limits: JSONLimits(maxNodes: firstSize))
        if count + 1 <= firstSize {
            #expect(limited == nil)
        } else {
            let offset = text.utf8.count - String(text.split(separator: ",")[(firstSize - 1)...].joined(separator: ","))
                .utf8.count
            #expect(limited == "tooLarge \(offset)")
        }
    }

    @Test func hugeNumbersParseAsNumbersWithoutAValue() throws {
        let digits = String(repeating: "9", count: 5_000)
        let tape = try JSONTape(parsing: Array("[\(digits), -\(digits).\(digits)e+\(digits)]".utf8))
        let values = Array(tape.children(0))
        #expect(values.map { tape.kind($0) } == [.number, .number])
        #expect(tape.int64(values[0]) == nil)
        #expect(tape.byteRange(values[1]).count == 3 * 5_000 + 4)
    }

    @Test func emptyContainersAndWhitespaceKeepTheirRanges() throws {
        let text = " {\"a\" : { } ,\"b\":[ ],\r\n\"c\":[{}]} "
        let tape = try JSONTape(parsing: Array(text.utf8))
        #expect(tape.containsLineBreaks)
        let a = try #require(tape.value(forKey: "a", in: 0))
        let b = try #require(tape.value(forKey: "b", in: 0))
        let c = try #require(tape.value(forKey: "c", in: 0))
        #expect(tape.byteRange(a) == 8..<11)
        #expect(tape.byteRange(b) == 17..<20)
        #expect(tape.count(a) == 0 && tape.count(b) == 0 && tape.count(c) == 1)
        #expect(tape.byteRange(0) == 1..<(text.utf8.count - 1))
        #expect(tape.nextSibling(0) == tape.nodeCount)
    }
}
