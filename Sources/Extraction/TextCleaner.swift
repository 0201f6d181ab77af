/// Normalises extracted text: Markdown emphasis and code marks removed, whitespace collapsed, control
/// characters dropped, length capped. Works on UTF-8 bytes.
enum TextCleaner {
    /// Cleans a text.
    /// - Parameters:
    ///   - text: the raw text.
    ///   - maxBytes: longest result in UTF-8 bytes (cut on a character boundary).
    /// - Returns: the cleaned text, or `nil` when nothing but whitespace and marks remains.
    static func clean(_ text: String, maxBytes: Int) -> String? {
        var text = text
        return text.withUTF8 { input -> String? in
            var output: [UInt8] = []
            output.reserveCapacity(min(input.count, maxBytes))
            var pendingSpace = false
            var index = 0
            while index < input.count {
                let byte = input[index]
                switch byte {
                case UInt8(ascii: "*"), UInt8(ascii: "`"):
                    index += 1
                    continue
                case UInt8(ascii: "#") where output.isEmpty || pendingSpace:
                    index += 1
                    continue
                case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C:
                    pendingSpace = !output.isEmpty
                    index += 1
                    continue
                case 0xC2 where index + 1 < input.count && input[index + 1] == 0xA0:  // no-break space
                    pendingSpace = !output.isEmpty
                    index += 2
                    continue
                case 0xC2 where index + 1 < input.count && input[index + 1] < 0xA0:  // C1 controls
                    index += 2
                    continue
                case 0x00..<0x20, 0x7F:
                    index += 1
                    continue
                default:
                    break
                }
                let width = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                let needed = width + (pendingSpace ? 1 : 0)
                if output.count + needed > maxBytes || index + width > input.count { break }
                if pendingSpace { output.append(0x20) }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<index + width]))
                pendingSpace = false
                index += width
            }
            return output.isEmpty ? nil : String(decoding: output, as: UTF8.self)
        }
    }
}
