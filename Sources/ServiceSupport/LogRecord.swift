/// One log message as handed to a ``LogHandler``: already filtered by level and already redacted.
public struct LogRecord: Sendable, Hashable {
    /// The time the message was logged, in milliseconds since the Unix epoch (UTC).
    public var timestampMillis: Int64
    /// The severity.
    public var level: LogLevel
    /// The label of the logger that produced the message.
    public var label: String
    /// The message text, with secrets replaced by `***`.
    public var message: String
    /// The logger's metadata merged with the call's metadata (call wins), with secrets replaced by `***`.
    public var metadata: [String: LogValue]

    /// The field names a log line always carries; metadata keys equal to one of them are written with a
    /// `meta.` prefix so a line never holds a duplicate key.
    public static let reservedKeys: Set<String> = ["ts", "level", "logger", "msg"]

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - timestampMillis: Milliseconds since the Unix epoch.
    ///   - level: The severity.
    ///   - label: The logger label.
    ///   - message: The (redacted) message.
    ///   - metadata: The (redacted) metadata.
    public init(timestampMillis: Int64, level: LogLevel, label: String, message: String, metadata: [String: LogValue]) {
        self.timestampMillis = timestampMillis
        self.level = level
        self.label = label
        self.message = message
        self.metadata = metadata
    }

    /// Renders the record as one JSON object followed by a newline.
    ///
    /// The fixed fields come first (`ts` in RFC 3339 with milliseconds, `level`, `logger`, `msg`), then the
    /// metadata sorted by key.
    ///
    /// - Returns: The UTF-8 bytes of the line, ending in `\n`.
    public func jsonLine() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96 + message.utf8.count + metadata.count * 32)
        out.append(contentsOf: #"{"ts":""#.utf8)
        out.append(contentsOf: UTCTime.rfc3339(millis: timestampMillis).utf8)
        out.append(contentsOf: #"","level":""#.utf8)
        out.append(contentsOf: level.name.utf8)
        out.append(contentsOf: #"","logger":"#.utf8)
        LogRecord.appendJSONString(label, to: &out)
        out.append(contentsOf: #","msg":"#.utf8)
        LogRecord.appendJSONString(message, to: &out)
        for key in metadata.keys.sorted() {
            guard let value = metadata[key] else { continue }
            out.append(UInt8(ascii: ","))
            LogRecord.appendJSONString(LogRecord.reservedKeys.contains(key) ? "meta." + key : key, to: &out)
            out.append(UInt8(ascii: ":"))
            LogRecord.appendJSONValue(value, to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// Appends `value` in JSON form.
    private static func appendJSONValue(_ value: LogValue, to out: inout [UInt8]) {
        switch value {
        case .string(let text):
            appendJSONString(text, to: &out)
        case .int(let number):
            out.append(contentsOf: String(number).utf8)
        case .double(let number):
            if number.isFinite {
                out.append(contentsOf: String(number).utf8)
            } else {
                appendJSONString(String(number), to: &out)
            }
        case .bool(let flag):
            out.append(contentsOf: (flag ? "true" : "false").utf8)
        }
    }

    /// Appends `text` as a quoted JSON string, escaping quotes, backslashes and control characters.
    private static func appendJSONString(_ text: String, to out: inout [UInt8]) {
        let hexDigits: StaticString = "0123456789abcdef"
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""):
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"):
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"):
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"):
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"):
                out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20, 0x7F:
                out.append(contentsOf: Array(#"\u00"#.utf8))
                hexDigits.withUTF8Buffer { digits in
                    out.append(digits[Int(byte >> 4)])
                    out.append(digits[Int(byte & 0x0F)])
                }
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
