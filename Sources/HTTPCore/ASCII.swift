/// Byte classes and small text helpers from the HTTP/1.1 grammar (RFC 9110 §5.6, RFC 9112).
enum ASCII {
    /// Carriage return.
    static let cr: UInt8 = 0x0D
    /// Line feed.
    static let lf: UInt8 = 0x0A
    /// Space.
    static let space: UInt8 = 0x20
    /// Horizontal tab.
    static let tab: UInt8 = 0x09
    /// Colon.
    static let colon: UInt8 = 0x3A
    /// Semicolon.
    static let semicolon: UInt8 = 0x3B
    /// Question mark.
    static let question: UInt8 = 0x3F
    /// Slash.
    static let slash: UInt8 = 0x2F

    /// Whether `byte` is a `tchar` (RFC 9110 §5.6.2): the characters allowed in tokens such as field names.
    /// - Parameter byte: The byte to classify.
    /// - Returns: `true` for a token character.
    @inline(__always)
    static func isTokenChar(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A:
            return true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E:
            return true
        default:
            return false
        }
    }

    /// Whether `byte` may appear in a field value: HTAB, SP, visible ASCII and obs-text (RFC 9110 §5.5).
    /// - Parameter byte: The byte to classify.
    /// - Returns: `false` for control characters (other than HTAB) and DEL.
    @inline(__always)
    static func isFieldValueChar(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= 0x20 && byte != 0x7F)
    }

    /// Whether `byte` is optional whitespace (SP or HTAB).
    /// - Parameter byte: The byte to classify.
    /// - Returns: `true` for SP or HTAB.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    /// The value of a hexadecimal digit, or `nil`.
    /// - Parameter byte: The byte to decode.
    /// - Returns: 0–15, or `nil` when `byte` is not a hex digit.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: return Int(byte - 0x30)
        case 0x41...0x46: return Int(byte - 0x41 + 10)
        case 0x61...0x66: return Int(byte - 0x61 + 10)
        default: return nil
        }
    }

    /// Compares two strings byte-wise, folding ASCII letters to lower case.
    /// - Parameters:
    ///   - lhs: The first string.
    ///   - rhs: The second string.
    /// - Returns: `true` when they are equal without regard to ASCII case.
    static func caseInsensitiveEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        guard left.count == right.count else {
            return false
        }
        for (a, b) in zip(left, right) where a != b {
            guard lowercased(a) == lowercased(b) else {
                return false
            }
        }
        return true
    }

    /// Folds an ASCII upper-case letter to lower case; other bytes are returned unchanged.
    /// - Parameter byte: The byte to fold.
    /// - Returns: The folded byte.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }

    /// Splits a comma-separated list value (RFC 9110 §5.6.1) into trimmed, non-empty elements.
    /// - Parameter value: The field value.
    /// - Returns: The elements in order.
    static func listElements(_ value: String) -> [Substring] {
        value.split(separator: ",").compactMap { element in
            let trimmed = element.drop(while: { $0 == " " || $0 == "\t" })
            let end = trimmed.lastIndex(where: { $0 != " " && $0 != "\t" })
            guard let end else {
                return nil
            }
            return trimmed[...end]
        }
    }

    /// Compares a substring with a string without regard to ASCII case.
    /// - Parameters:
    ///   - lhs: The substring.
    ///   - rhs: The string.
    /// - Returns: `true` when they are equal without regard to ASCII case.
    static func caseInsensitiveEquals(_ lhs: Substring, _ rhs: String) -> Bool {
        caseInsensitiveEquals(String(lhs), rhs)
    }
}
