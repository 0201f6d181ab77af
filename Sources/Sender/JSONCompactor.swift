/// Removes insignificant whitespace from valid JSON text, keeping every other byte (string escapes and number
/// spellings included) unchanged.
enum JSONCompactor {
    /// Compacts `bytes`, which must be valid JSON.
    ///
    /// - Parameter bytes: A JSON value's text.
    /// - Returns: The text without whitespace outside strings.
    static func compact(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                output.append(byte)
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                continue
            case UInt8(ascii: "\""):
                inString = true
                output.append(byte)
            default:
                output.append(byte)
            }
        }
        return output
    }
}
