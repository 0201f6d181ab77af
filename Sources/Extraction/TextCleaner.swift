/// Normalises extracted text: Markdown emphasis and code marks removed, whitespace collapsed, length capped.
enum TextCleaner {
    /// Cleans a text.
    /// - Parameters:
    ///   - text: the raw text.
    ///   - maxBytes: longest result in UTF-8 bytes (cut on a character boundary).
    /// - Returns: the cleaned text, or `nil` when nothing but whitespace and marks remains.
    static func clean(_ text: String, maxBytes: Int) -> String? {
        var output = String.UnicodeScalarView()
        var pendingSpace = false
        var byteCount = 0
        for scalar in text.unicodeScalars {
            switch scalar {
            case "*", "`":
                continue
            case "#" where output.isEmpty || pendingSpace:
                continue
            case " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{A0}":
                pendingSpace = !output.isEmpty
                continue
            default:
                break
            }
            if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) { continue }
            let width = (pendingSpace ? 1 : 0) + String(scalar).utf8.count
            if byteCount + width > maxBytes { break }
            if pendingSpace { output.append(" ") }
            output.append(scalar)
            byteCount += width
            pendingSpace = false
        }
        return output.isEmpty ? nil : String(output)
    }
}
