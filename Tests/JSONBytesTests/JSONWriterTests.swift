import JSONBytes
import Testing

@Suite struct JSONWriterTests {
    @Test func escapesStrings() {
        var writer = JSONWriter()
        writer.appendString("a\"b\\c\n\u{01}é")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #""a\"b\\c\n\u0001é""#)
    }

    @Test(arguments: [
        (0.91, 2, "0.91"), (1.0, 2, "1"), (0.905, 2, "0.91"), (0.1, 2, "0.1"), (0.05, 2, "0.05"),
        (-1.25, 2, "-1.25"), (12.0, 0, "12"), (0.001, 2, "0"),
    ])
    func decimals(_ value: Double, _ decimals: Int, _ expected: String) {
        var writer = JSONWriter()
        writer.appendDecimal(value, decimals: decimals)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    }
}
