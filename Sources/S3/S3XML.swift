/// The little XML S3 needs: reading the text of named elements from error and multipart responses, and
/// escaping text for request bodies. Not a general XML parser: elements are found by name, attributes are
/// skipped, and entities are the five predefined ones plus numeric references.
enum S3XML {
    /// The decoded text of the first element named `name`.
    /// - Parameters:
    ///   - name: The element name, for example `Code`.
    ///   - xml: The document bytes.
    /// - Returns: The text, or `nil` when there is no such element (an empty element gives `""`).
    static func firstText(of name: String, in xml: [UInt8]) -> String? {
        let open = Array("<\(name)".utf8)
        let close = Array("</\(name)>".utf8)
        var index = 0
        while let start = self.find(open, in: xml, from: index) {
            let after = start + open.count
            guard after < xml.count else {
                return nil
            }
            // The name must end here: `>`, `/` or whitespace, not `<CodeX>`.
            switch xml[after] {
            case UInt8(ascii: ">"):
                let textStart = after + 1
                guard let end = self.find(close, in: xml, from: textStart) else {
                    return nil
                }
                return self.decode(xml[textStart..<end])
            case UInt8(ascii: "/"):
                return ""
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                guard let tagEnd = self.find([UInt8(ascii: ">")], in: xml, from: after) else {
                    return nil
                }
                if xml[tagEnd - 1] == UInt8(ascii: "/") {
                    return ""
                }
                guard let end = self.find(close, in: xml, from: tagEnd + 1) else {
                    return nil
                }
                return self.decode(xml[(tagEnd + 1)..<end])
            default:
                index = after
            }
        }
        return nil
    }

    /// Whether the document's root element is `name` (after an optional XML declaration and whitespace).
    /// - Parameters:
    ///   - name: The element name, for example `Error`.
    ///   - xml: The document bytes.
    /// - Returns: `true` when the first element is `name`.
    static func rootIs(_ name: String, in xml: [UInt8]) -> Bool {
        var index = 0
        while index < xml.count {
            while index < xml.count, xml[index] != UInt8(ascii: "<") {
                guard xml[index] <= 0x20 else {
                    return false
                }
                index += 1
            }
            guard index + 1 < xml.count else {
                return false
            }
            if xml[index + 1] == UInt8(ascii: "?") || xml[index + 1] == UInt8(ascii: "!") {
                guard let end = self.find([UInt8(ascii: ">")], in: xml, from: index) else {
                    return false
                }
                index = end + 1
                continue
            }
            let tag = Array("<\(name)".utf8)
            guard index + tag.count < xml.count, Array(xml[index..<(index + tag.count)]) == tag else {
                return false
            }
            let next = xml[index + tag.count]
            return next == UInt8(ascii: ">") || next == UInt8(ascii: " ") || next == UInt8(ascii: "/")
                || next == UInt8(ascii: "\n") || next == UInt8(ascii: "\t") || next == UInt8(ascii: "\r")
        }
        return false
    }

    /// Escapes text for an element body (`&`, `<`, `>`; quotes too, so it also fits attributes).
    /// - Parameter text: The raw text.
    /// - Returns: The escaped text.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            default: result.append(character)
            }
        }
        return result
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, needle.count <= haystack.count else {
            return nil
        }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var matched = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    matched = false
                    break
                }
                if matched {
                    return index
                }
            }
            index += 1
        }
        return nil
    }

    /// Decodes entity and character references; malformed references are kept as written.
    private static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(UInt8(ascii: "&")) else {
            return String(decoding: bytes, as: UTF8.self)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        var result = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            let tail = rest[ampersand...]
            guard let semicolon = tail.firstIndex(of: ";"), tail.distance(from: ampersand, to: semicolon) <= 10 else {
                result += "&"
                rest = rest[rest.index(after: ampersand)...]
                continue
            }
            let entity = tail[tail.index(after: ampersand)..<semicolon]
            if let replacement = self.entity(entity) {
                result += replacement
            } else {
                result += tail[ampersand...semicolon]
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }

    private static func entity(_ name: Substring) -> String? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard name.hasPrefix("#") else {
                return nil
            }
            let digits = name.dropFirst()
            let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }
}
