/// Checks applied before fields are written to the wire, so that no caller can inject line breaks.
enum HTTPFieldValidation {
    /// Whether `name` is a non-empty token.
    /// - Parameter name: A field name.
    /// - Returns: `true` when every byte is a token character.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy(ASCII.isTokenChar)
    }

    /// Whether `value` holds only HTAB, SP, visible ASCII and obs-text, and has no surrounding whitespace.
    /// - Parameter value: A field value.
    /// - Returns: `true` when the value can be written as is.
    static func isValidValue(_ value: String) -> Bool {
        let bytes = value.utf8
        if let first = bytes.first, let last = bytes.last, ASCII.isWhitespace(first) || ASCII.isWhitespace(last) {
            return false
        }
        return bytes.allSatisfy(ASCII.isFieldValueChar)
    }

    /// Appends `name: value` CRLF.
    /// - Parameters:
    ///   - name: The field name.
    ///   - value: The field value.
    ///   - bytes: The output buffer.
    static func appendField(name: String, value: String, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: name.utf8)
        bytes.append(ASCII.colon)
        bytes.append(ASCII.space)
        bytes.append(contentsOf: value.utf8)
        bytes.append(ASCII.cr)
        bytes.append(ASCII.lf)
    }
}
