/// Just enough XML reading for the small, flat answers of the AWS query protocol (STS) and its error documents.
///
/// Elements are found by name (no namespace prefixes, which these answers do not use); their text is returned
/// with the five predefined entities and numeric character references decoded. Comments, CDATA and processing
/// instructions are not interpreted.
enum XMLText {
    /// The raw content of the first element named `name` inside `text`.
    ///
    /// - Parameters:
    ///   - name: The element name, for example `Credentials`.
    ///   - text: The document or the content of an enclosing element.
    /// - Returns: The content between the start tag and the matching end tag, or `nil` when the element is absent,
    ///   empty (`<name/>`) or unterminated.
    static func element(_ name: String, in text: Substring) -> Substring? {
        let open = "<" + name
        var searchFrom = text.startIndex
        while let start = text[searchFrom...].firstRange(of: open) {
            let after = start.upperBound
            guard after < text.endIndex else { return nil }
            let next = text[after]
            if next == ">" || next == " " || next == "\t" || next == "\n" || next == "\r" {
                guard let close = text[after...].firstIndex(of: ">") else { return nil }
                if text[text.index(before: close)] == "/" { return nil }
                let contentStart = text.index(after: close)
                guard let end = text[contentStart...].firstRange(of: "</" + name + ">") else { return nil }
                return text[contentStart..<end.lowerBound]
            }
            searchFrom = after
        }
        return nil
    }

    /// The decoded text of the first element named `name`, trimmed of surrounding whitespace.
    ///
    /// - Parameters:
    ///   - name: The element name.
    ///   - text: The document or the content of an enclosing element.
    /// - Returns: The text, or `nil` when the element is absent or holds a malformed reference.
    static func text(_ name: String, in text: Substring) -> String? {
        element(name, in: text).flatMap { decode($0) }.map { trimmed($0) }
    }

    /// Decodes `&lt;`, `&gt;`, `&amp;`, `&quot;`, `&apos;`, `&#NN;` and `&#xHH;`.
    ///
    /// - Parameter raw: Element content.
    /// - Returns: The decoded text, or `nil` for an unknown or unterminated reference.
    static func decode(_ raw: Substring) -> String? {
        guard raw.contains("&") else { return String(raw) }
        var result = ""
        var rest = raw[...]
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            guard let semicolon = rest[ampersand...].firstIndex(of: ";") else { return nil }
            let entity = rest[rest.index(after: ampersand)..<semicolon]
            switch entity {
            case "lt": result.append("<")
            case "gt": result.append(">")
            case "amp": result.append("&")
            case "quot": result.append("\"")
            case "apos": result.append("'")
            default:
                guard entity.hasPrefix("#") else { return nil }
                let digits = entity.dropFirst()
                let value =
                    digits.hasPrefix("x") || digits.hasPrefix("X")
                    ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
                guard let value, let scalar = Unicode.Scalar(value) else { return nil }
                result.unicodeScalars.append(scalar)
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        result += rest
        return result
    }

    /// Removes leading and trailing spaces, tabs and line breaks.
    private static func trimmed(_ text: String) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = text.firstIndex(where: { !isBlank($0) }), let last = text.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(text[first...last])
    }
}
