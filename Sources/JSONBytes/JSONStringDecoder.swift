/// Decodes the escapes of a validated JSON string body into UTF-8 bytes.
enum JSONStringDecoder {
    /// Appends the decoded bytes of `range` (the string without its quotes) to `output`.
    ///
    /// The input must already be validated by the parser. Surrogate pairs combine; a lone surrogate
    /// decodes to U+FFFD.
    /// - Returns: whether a lone surrogate escape was replaced.
    @discardableResult
    static func decode(_ source: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into output: inout [UInt8]) -> Bool {
        var replaced = false
        var index = range.lowerBound
        let end = range.upperBound
        while index < end {
            guard source[index] == UInt8(ascii: "\\") else {
                var runEnd = index + 1
                while runEnd < end, source[runEnd] != UInt8(ascii: "\\") { runEnd += 1 }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: source[index..<runEnd]))
                index = runEnd
                continue
            }
            let escaped = source[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(source, index)
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    if index + 6 <= end, source[index] == UInt8(ascii: "\\"), source[index + 1] == UInt8(ascii: "u") {
                        let low = hex4(source, index + 2)
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                            index += 6
                        } else {
                            scalar = 0xFFFD
                            replaced = true
                        }
                    } else {
                        scalar = 0xFFFD
                        replaced = true
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                    replaced = true
                }
                appendUTF8(scalar, to: &output)
            default: output.append(escaped)  // \" \\ \/
            }
        }
        return replaced
    }

    private static func hex4(_ source: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            value = value << 4 | UInt32(JSONTape.hexValue(source[index + offset]) ?? 0)
        }
        return value
    }

    /// Appends a Unicode scalar as UTF-8.
    static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
