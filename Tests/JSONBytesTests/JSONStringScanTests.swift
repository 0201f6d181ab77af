import JSONBytes
import Testing

/// The string scanner reads sixteen bytes at a time (byte by byte near the end of the text) and jumps to the first byte
/// that needs a look: every special byte at every position of strings of every length around those sizes is found.
@Suite struct JSONStringScanTests {
    /// `{"k":"<prefix><special><suffix>","n":1}` for every split of a 0...40-byte ASCII run.
    private func documents(special: String) -> [(text: String, value: String)] {
        var documents: [(String, String)] = []
        let run = Array("abcdefghijklmnopqrstuvwxyz0123456789ABCD")
        for length in 0...run.count {
            for position in 0...length {
                let prefix = String(run[0..<position])
                let suffix = String(run[position..<length])
                documents.append(("{\"k\":\"\(prefix)\(special)\(suffix)\",\"n\":1}", prefix + "|" + suffix))
            }
        }
        return documents
    }

    @Test(arguments: [
        ("\\\"", "\""), ("\\\\", "\\"), ("\\u00e9", "é"), ("é", "é"), ("😀", "😀"), ("\u{7F}", "\u{7F}"), ("", ""),
    ])
    func specialBytesAreFoundAtEveryPosition(special: String, decoded: String) throws {
        for (text, value) in documents(special: special) {
            let tape = try JSONTape(parsing: Array(text.utf8))
            let node = try #require(tape.value(forKey: "k", in: tape.rootIndex))
            #expect(tape.string(node) == value.replacingOccurrences(of: "|", with: decoded), "\(text)")
            #expect(tape.value(forKey: "n", in: tape.rootIndex).flatMap { tape.int64($0) } == 1)
        }
    }

    @Test(arguments: [UInt8(0x01), 0x1F])
    func aControlByteIsRefusedWhereItIs(control: UInt8) {
        for (text, _) in documents(special: String(UnicodeScalar(control))) {
            let offset = Array(text.utf8).firstIndex(of: control) ?? -1
            do {
                _ = try JSONTape(parsing: Array(text.utf8))
                Issue.record("accepted \(text.debugDescription)")
            } catch {
                #expect(error.code == .invalidString && error.offset == offset, "\(text.debugDescription)")
            }
        }
    }

    @Test(arguments: [UInt8(0x80), 0xBF, 0xC0, 0xF5, 0xFF])
    func aByteThatStartsNoUTF8SequenceIsRefusedWhereItIs(byte: UInt8) {
        for (text, _) in documents(special: "#") {
            var bytes = Array(text.utf8)
            let offset = bytes.firstIndex(of: UInt8(ascii: "#")) ?? -1
            bytes[offset] = byte
            do {
                _ = try JSONTape(parsing: bytes)
                Issue.record("accepted \(text.debugDescription) with 0x\(String(byte, radix: 16)) for #")
            } catch {
                #expect(error.code == .invalidString && error.offset == offset, "\(text.debugDescription)")
            }
        }
    }

    @Test func anUnterminatedStringEndsTheText() {
        for length in 0...20 {
            let text = "\"" + String(repeating: "x", count: length)
            #expect(throws: JSONError.self) { try JSONTape(parsing: Array(text.utf8)) }
        }
    }
}
