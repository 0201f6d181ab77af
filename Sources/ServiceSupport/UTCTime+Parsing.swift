extension UTCTime {
    /// Parses an RFC 3339 / ISO 8601 timestamp as events carry them.
    ///
    /// Accepted form: `yyyy-MM-dd`, then `T`, `t` or a space, then `HH:mm:ss`, then optionally a fraction
    /// (`.` or `,` followed by one or more digits; digits after the third are truncated), then optionally a zone:
    /// `Z`, `z`, `±HH:mm`, `±HHmm` or `±HH`. A timestamp without a zone is read as UTC. Second 60 (a leap
    /// second) is accepted and counts as the first millisecond range of the next minute.
    ///
    /// Examples: `2023-07-10T11:45:12Z`, `2021-02-16T21:55:26.373Z`, `2024-01-01 00:00:00.123456+00:00`,
    /// `2023-07-10T06:45:12-05:00`.
    ///
    /// - Parameter text: The timestamp, with no surrounding whitespace.
    /// - Returns: Milliseconds since the Unix epoch, or `nil` when `text` is not such a timestamp or names an
    ///   impossible date or time.
    public static func parseTimestamp(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { parseTimestamp(UnsafeRawBufferPointer($0)) }
    }

    /// Parses an RFC 3339 / ISO 8601 timestamp from UTF-8 bytes; accepts the same forms as the `String` overload.
    ///
    /// - Parameter bytes: The timestamp bytes (for example the inside of a JSON string), no whitespace.
    /// - Returns: Milliseconds since the Unix epoch, or `nil` when the bytes are not a valid timestamp.
    public static func parseTimestamp(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var reader = TimestampReader(bytes: bytes)
        guard let year = reader.digits(4), reader.skip(UInt8(ascii: "-")),
            let month = reader.digits(2), reader.skip(UInt8(ascii: "-")),
            let day = reader.digits(2)
        else { return nil }
        guard let separator = reader.next(),
            separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ")
        else { return nil }
        guard let hour = reader.digits(2), reader.skip(UInt8(ascii: ":")),
            let minute = reader.digits(2), reader.skip(UInt8(ascii: ":")),
            let second = reader.digits(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= CivilDateTime.daysInMonth(month, year: year),
            hour <= 23, minute <= 59, second <= 60
        else { return nil }

        var millisecond = 0
        if reader.skip(UInt8(ascii: ".")) || reader.skip(UInt8(ascii: ",")) {
            guard let fraction = reader.fractionMillis() else { return nil }
            millisecond = fraction
        }

        var offsetMinutes = 0
        if let zone = reader.next() {
            switch zone {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                break
            case UInt8(ascii: "+"), UInt8(ascii: "-"):
                guard let offsetHours = reader.digits(2), offsetHours <= 23 else { return nil }
                var offsetMinutePart = 0
                if !reader.isAtEnd {
                    _ = reader.skip(UInt8(ascii: ":"))
                    guard let minutes = reader.digits(2), minutes <= 59 else { return nil }
                    offsetMinutePart = minutes
                }
                offsetMinutes = offsetHours * 60 + offsetMinutePart
                if zone == UInt8(ascii: "-") {
                    offsetMinutes = -offsetMinutes
                }
            default:
                return nil
            }
        }
        guard reader.isAtEnd else { return nil }

        let local = CivilDateTime(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, millisecond: millisecond
        )
        return local.epochMillis - Int64(offsetMinutes) * 60_000
    }
}

/// A forward-only cursor over timestamp bytes.
private struct TimestampReader {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position >= bytes.count }

    /// Returns the next byte and advances, or `nil` at the end.
    mutating func next() -> UInt8? {
        guard position < bytes.count else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    /// Advances past `byte` if it is next.
    mutating func skip(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// Reads exactly `count` ASCII digits as a number.
    mutating func digits(_ count: Int) -> Int? {
        guard bytes.count - position >= count else { return nil }
        var value = 0
        for _ in 0..<count {
            let digit = Int(bytes[position]) - 48
            guard (0...9).contains(digit) else { return nil }
            value = value * 10 + digit
            position += 1
        }
        return value
    }

    /// Reads one or more fraction digits and returns the first three as milliseconds (padded, not rounded).
    mutating func fractionMillis() -> Int? {
        var value = 0
        var count = 0
        while position < bytes.count {
            let digit = Int(bytes[position]) - 48
            guard (0...9).contains(digit) else { break }
            if count < 3 {
                value = value * 10 + digit
            }
            count += 1
            position += 1
        }
        guard count > 0 else { return nil }
        for _ in count..<max(count, 3) {
            value *= 10
        }
        return value
    }
}
