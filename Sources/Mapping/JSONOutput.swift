/// Minimal JSON text output for the map contract (strings escaped per RFC 8259 section 7).
enum JSONOutput {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends a quoted, escaped JSON string.
    /// - Parameters:
    ///   - string: The string.
    ///   - bytes: The output buffer.
    static func appendString(_ string: String, to bytes: inout [UInt8]) {
        var string = string
        bytes.append(UInt8(ascii: "\""))
        string.withUTF8 { utf8 in
            // Runs of bytes that need no escape are copied whole.
            var runStart = 0
            for index in 0..<utf8.count {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                appendEscape(of: byte, to: &bytes)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends the escape sequence of a quote, a backslash or a control character.
    private static func appendEscape(of byte: UInt8, to bytes: inout [UInt8]) {
        bytes.append(0x5C)
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(contentsOf: Array("u00".utf8))
            bytes.append(hexDigits[Int(byte >> 4)])
            bytes.append(hexDigits[Int(byte & 0x0F)])
        }
    }

    /// Appends raw ASCII text (keys, punctuation).
    /// - Parameters:
    ///   - text: The text.
    ///   - bytes: The output buffer.
    static func appendRaw(_ text: StaticString, to bytes: inout [UInt8]) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends a similarity in 0...1 with at most two decimals: `1.0`, `0.9`, `0.91`, `0.05`.
    /// - Parameters:
    ///   - value: The value (rounded to hundredths here).
    ///   - bytes: The output buffer.
    static func appendSimilarity(_ value: Double, to bytes: inout [UInt8]) {
        let hundredths = Int((min(max(value, 0), 1) * 100).rounded())
        if hundredths == 100 {
            appendRaw("1.0", to: &bytes)
            return
        }
        appendRaw("0.", to: &bytes)
        bytes.append(UInt8(ascii: "0") + UInt8(hundredths / 10))
        if hundredths % 10 != 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(hundredths % 10))
        }
    }
}
