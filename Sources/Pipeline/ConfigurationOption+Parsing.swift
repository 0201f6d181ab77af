import JSONBytes

extension ConfigurationOption {
    /// A string value (numbers as written), trimmed.
    static func string(_ value: Value, key: String) throws(ConfigurationError) -> String {
        switch value {
        case .string(let text): return text.trimmingWhitespace()
        case .number(let text): return text
        default: throw ConfigurationError(.invalidValue, key: key, "expected a string")
        }
    }

    /// A whole number within `range`.
    static func int(_ value: Value, key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let number = Int(try string(value, key: key)), range.contains(number) else {
            throw ConfigurationError(
                .invalidValue,
                key: key,
                "expected a whole number in \(range.lowerBound)...\(range.upperBound)"
            )
        }
        return number
    }

    /// A finite number within `range`.
    static func double(_ value: Value, key: String, in range: ClosedRange<Double>) throws(ConfigurationError) -> Double
    {
        guard let number = Double(try string(value, key: key)), number.isFinite, range.contains(number) else {
            throw ConfigurationError(
                .invalidValue,
                key: key,
                "expected a number in \(range.lowerBound)...\(range.upperBound)"
            )
        }
        return number
    }

    /// `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`).
    static func bool(_ value: Value, key: String) throws(ConfigurationError) -> Bool {
        if case .bool(let flag) = value { return flag }
        switch try string(value, key: key).lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw ConfigurationError(.invalidValue, key: key, "expected true or false")
        }
    }

    /// An array of strings, or a comma-separated string; blanks dropped.
    static func list(_ value: Value, key: String) throws(ConfigurationError) -> [String] {
        if case .list(let items) = value { return items.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty } }
        return try string(value, key: key).split(separator: ",").map { String($0).trimmingWhitespace() }
            .filter { !$0.isEmpty }
    }

    /// Access keys: a JSON array (file or environment, keys kept verbatim, commas and spaces included) or a
    /// comma-separated string.
    static func keyList(_ value: Value, key: String) throws(ConfigurationError) -> [String] {
        switch value {
        case .list(let items):
            return items.filter { !$0.isEmpty }
        case .string(let text) where text.trimmingWhitespace().hasPrefix("["):
            guard let tape = try? JSONTape(parsing: Array(text.utf8)), tape.kind(0) == .array else {
                throw ConfigurationError(.invalidValue, key: key, "expected a JSON array of strings")
            }
            var keys: [String] = []
            for element in tape.children(0) {
                guard let item = tape.string(element) else {
                    throw ConfigurationError(.invalidValue, key: key, "expected a JSON array of strings")
                }
                if !item.isEmpty { keys.append(item) }
            }
            return keys
        default:
            return try list(value, key: key)
        }
    }

    /// `host:port` or `[v6]:port`.
    static func parseListen(_ value: Value, key: String) throws(ConfigurationError) -> (String, Int) {
        let text = try string(value, key: key)
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw ConfigurationError(.invalidValue, key: key, "expected host:port, e.g. 0.0.0.0:8080 or [::]:8080")
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else {
                throw ConfigurationError(.invalidValue, key: key, "expected host:port, e.g. 0.0.0.0:8080 or [::]:8080")
            }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let port = Int(portText), (0...65_535).contains(port) else {
            throw ConfigurationError(.invalidValue, key: key, "expected host:port with a port in 0...65535")
        }
        return (String(host), port)
    }

    /// A directory or `file://` URL.
    static func parseSink(_ text: String) throws(ConfigurationError) -> Configuration.SinkLocation {
        if text.hasPrefix("file://") {
            let path = String(text.dropFirst("file://".count))
            guard path.hasPrefix("/") else {
                throw ConfigurationError(
                    .invalidValue,
                    key: "sink",
                    "file:// URLs need an absolute path (file:///data/lake)"
                )
            }
            return .directory(path)
        }
        if text.contains("://") {
            throw ConfigurationError(
                .invalidValue,
                key: "sink",
                "this build writes to a local directory or file:// URL only (S3 is not in it)"
            )
        }
        guard !text.isEmpty else { throw ConfigurationError(.invalidValue, key: "sink", "expected a directory") }
        return .directory(text)
    }
}

extension String {
    /// The string without leading and trailing whitespace.
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}
