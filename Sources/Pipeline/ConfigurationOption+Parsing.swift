import Foundation
import Glibc
import JSONBytes

extension ConfigurationOption {
    /// A string value (numbers as written), trimmed.
    static func string(_ value: Value, key: String) throws(ConfigurationError) -> String {
        guard let text = scalarText(value) else {
            throw ConfigurationError(.invalidValue, key: key, "expected a string")
        }
        return text
    }

    /// The text of a string or number value (a Boolean, list or null has none).
    private static func scalarText(_ value: Value) -> String? {
        switch value {
        case .string(let text): text.trimmingWhitespace()
        case .number(let text): text
        default: nil
        }
    }

    /// A whole number within `range`.
    static func int(_ value: Value, key: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let number = scalarText(value).flatMap({ Int($0) }), range.contains(number) else {
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
        guard let number = scalarText(value).flatMap({ Double($0) }), number.isFinite, range.contains(number) else {
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

    /// Checks accepted access keys: at least one (an empty secret must not open the endpoint: serving without keys
    /// is chosen by leaving the option unset), each 8 to 4096 bytes.
    /// - Parameters:
    ///   - keys: The keys, empty strings already dropped.
    ///   - key: The option (or file) named in errors.
    /// - Returns: The keys.
    static func accessKeys(_ keys: [String], key: String) throws(ConfigurationError) -> [String] {
        guard !keys.isEmpty else {
            throw ConfigurationError(
                .invalidValue,
                key: key,
                "empty; leave the option unset to accept requests without a key"
            )
        }
        guard keys.allSatisfy({ (8...4_096).contains($0.utf8.count) }) else {
            throw ConfigurationError(.invalidValue, key: key, "each key needs 8 to 4096 bytes")
        }
        return keys
    }

    /// The accepted keys of an `access_keys_file`: one per line, comma-separated, or a JSON array; surrounding
    /// whitespace ignored.
    /// - Parameters:
    ///   - path: The file.
    ///   - maxBytes: The largest file read.
    /// - Returns: The keys.
    /// - Throws: ``ConfigurationError`` naming `access_keys_file` (never the file's contents).
    static func accessKeys(file path: String, maxBytes: Int = 65_536) throws(ConfigurationError) -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError(.unreadableFile, key: "access_keys_file", "cannot read \(path)")
        }
        guard data.count <= maxBytes else {
            throw ConfigurationError(.invalidValue, key: "access_keys_file", "\(path) is larger than \(maxBytes) bytes")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingWhitespace()
        let value: Value =
            text.hasPrefix("[")
            ? .string(text) : .string(text.split(whereSeparator: { $0.isNewline }).joined(separator: ","))
        return try accessKeys(keyList(value, key: "access_keys_file"), key: "access_keys_file")
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
        if host == "localhost" { return ("127.0.0.1", port) }
        var address = in6_addr()
        guard inet_pton(AF_INET, String(host), &address) == 1 || inet_pton(AF_INET6, String(host), &address) == 1 else {
            throw ConfigurationError(
                .invalidValue,
                key: key,
                "the host must be an IP address (0.0.0.0, 127.0.0.1, ::) or localhost"
            )
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
        if text.hasPrefix("s3://") {
            let rest = text.dropFirst("s3://".count)
            let bucket = String(rest.prefix { $0 != "/" })
            guard isBucketName(bucket) else {
                throw ConfigurationError(
                    .invalidValue,
                    key: "sink",
                    "expected s3://bucket/prefix with a bucket name of 3-63 a-z 0-9 . - (starting and ending with a "
                        + "letter or digit)"
                )
            }
            let prefix = String(rest.dropFirst(bucket.count).drop { $0 == "/" })
            let segments = prefix.split(separator: "/", omittingEmptySubsequences: false)
            guard !segments.contains(where: { $0 == "." || $0 == ".." }),
                !prefix.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F })
            else {
                throw ConfigurationError(
                    .invalidValue,
                    key: "sink",
                    "the S3 prefix may not contain . or .. segments or control characters"
                )
            }
            return .s3(bucket: bucket, prefix: prefix)
        }
        if text.contains("://") {
            throw ConfigurationError(
                .invalidValue,
                key: "sink",
                "expected a directory, a file:// URL or an s3://bucket/prefix URL"
            )
        }
        guard !text.isEmpty else { throw ConfigurationError(.invalidValue, key: "sink", "expected a directory") }
        return .directory(text)
    }

    static func isBucketName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        let isAlphanumeric = { (byte: UInt8) in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard (3...63).contains(bytes.count), let first = bytes.first, let last = bytes.last, isAlphanumeric(first),
            isAlphanumeric(last), !name.contains("..")
        else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
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
