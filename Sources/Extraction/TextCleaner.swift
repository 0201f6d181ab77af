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
        // Most texts need no change: checking that is cheaper than writing a copy, and the string is kept.
        if text.withUTF8({ needsNoCleaning($0, maxBytes: maxBytes) }) { return text }
        return cleanedCopy(text, maxBytes: maxBytes)
    }

    /// ``clean(_:maxBytes:)`` always written into a new string (the reference its shortcut is tested against).
    static func cleanedCopy(_ text: String, maxBytes: Int) -> String? {
        var text = text
        return text.withUTF8 { input -> String? in
            // Every output byte stands for at least one input byte (a space for a run of whitespace), so the output
            // fits in min(input, maxBytes) bytes and is written through a pointer.
            let capacity = min(input.count, maxBytes)
            guard capacity > 0 else { return nil }
            // The cleaned bytes are written into the new string's own storage (no intermediate array); they are
            // whole characters of valid UTF-8 input, so the string's validation never has to repair them.
            let output = String(unsafeUninitializedCapacity: capacity) { write(input, into: $0) }
            return output.isEmpty ? nil : output
        }
    }

    /// Whether ``write(_:into:)`` would copy the text unchanged: not empty, within `maxBytes`, no mark, control
    /// or no-break space, no `#` or space after a space or at the start, no space at the end.
    private static func needsNoCleaning(_ input: UnsafeBufferPointer<UInt8>, maxBytes: Int) -> Bool {
        guard !input.isEmpty, input.count <= maxBytes else { return false }
        var afterSpace = true
        for byte in input {
            if byte > 0x20, byte != UInt8(ascii: "*"), byte != UInt8(ascii: "`"), byte != UInt8(ascii: "#"),
                byte != 0x7F, byte != 0xC2
            {
                afterSpace = false
            } else if byte == 0x20 || byte == UInt8(ascii: "#"), !afterSpace {
                afterSpace = byte == 0x20
            } else {
                return false
            }
        }
        return !afterSpace
    }

    /// The cleaning pass proper; returns the number of bytes written to `output` (at most `output.count`).
    private static func write(_ input: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt8>)
        -> Int
    {
        let maxBytes = output.count
        var written = 0
        var pendingSpace = false
        var index = 0
        while index < input.count {
            let byte = input[index]
            switch byte {
            case UInt8(ascii: "*"), UInt8(ascii: "`"):
                index += 1
                continue
            case UInt8(ascii: "#") where written == 0 || pendingSpace:
                index += 1
                continue
            case 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C:
                pendingSpace = written != 0
                index += 1
                continue
            case 0xC2 where index + 1 < input.count && input[index + 1] == 0xA0:  // no-break space
                pendingSpace = written != 0
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
            if written + needed > maxBytes || index + width > input.count { break }
            if pendingSpace {
                output[written] = 0x20
                written += 1
            }
            for offset in 0..<width { output[written + offset] = input[index + offset] }
            written += width
            pendingSpace = false
            index += width
        }
        return written
    }
}
