#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// UTC time helpers that need no Foundation formatters: the current time, fixed-format rendering
/// (`yyyyMMdd`, RFC 3339, HTTP-date) and a fast parser for the timestamps events carry.
public enum UTCTime {
    /// Event times taken at face value, in milliseconds: 2000-01-01 to 2100-01-01 (UTC). Outside, a time is
    /// treated as absent or wrong (it would name a partition decades away).
    public static let plausibleEventMillis: Range<Int64> = 946_684_800_000..<4_102_444_800_000

    /// An epoch time written in seconds or in milliseconds, as milliseconds: a value below 10^11 (1973-03-03 as
    /// milliseconds, the year 5138 as seconds) is seconds. Events and producers use both.
    /// - Parameter value: Seconds or milliseconds since the Unix epoch.
    /// - Returns: Milliseconds since the Unix epoch.
    public static func epochMillis(secondsOrMillis value: Int64) -> Int64 {
        value < 100_000_000_000 ? value &* 1_000 : value
    }

    /// The current wall-clock time.
    ///
    /// - Returns: Milliseconds since the Unix epoch (UTC).
    public static func nowMillis() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000 + Int64(spec.tv_nsec) / 1_000_000
    }

    /// Formats the UTC date of an instant as eight digits, for example `20261204`.
    ///
    /// - Parameter millis: Milliseconds since the Unix epoch.
    /// - Returns: `yyyyMMdd`.
    public static func compactDate(millis: Int64) -> String {
        let civil = CivilDateTime(millis: millis)
        var out: [UInt8] = []
        out.reserveCapacity(8)
        appendYear(civil.year, to: &out)
        appendTwoDigits(civil.month, to: &out)
        appendTwoDigits(civil.day, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Formats an instant as RFC 3339 in UTC with milliseconds, for example `2026-12-04T16:47:04.123Z`.
    ///
    /// - Parameter millis: Milliseconds since the Unix epoch.
    /// - Returns: `yyyy-MM-ddTHH:mm:ss.SSSZ`.
    public static func rfc3339(millis: Int64) -> String {
        let civil = CivilDateTime(millis: millis)
        var out: [UInt8] = []
        out.reserveCapacity(24)
        appendYear(civil.year, to: &out)
        out.append(UInt8(ascii: "-"))
        appendTwoDigits(civil.month, to: &out)
        out.append(UInt8(ascii: "-"))
        appendTwoDigits(civil.day, to: &out)
        out.append(UInt8(ascii: "T"))
        appendClock(civil, to: &out)
        out.append(UInt8(ascii: "."))
        out.append(UInt8(ascii: "0") + UInt8(civil.millisecond / 100))
        appendTwoDigits(civil.millisecond % 100, to: &out)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Formats an instant as an HTTP-date (RFC 9110 IMF-fixdate), for example `Fri, 04 Dec 2026 16:47:04 GMT`.
    ///
    /// - Parameter millis: Milliseconds since the Unix epoch; the milliseconds are dropped.
    /// - Returns: The date in the form used by the `Date` header.
    public static func httpDate(millis: Int64) -> String {
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let civil = CivilDateTime(millis: millis)
        var out: [UInt8] = []
        out.reserveCapacity(29)
        out.append(contentsOf: weekdays[civil.weekday].utf8)
        out.append(contentsOf: ", ".utf8)
        appendTwoDigits(civil.day, to: &out)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: months[civil.month - 1].utf8)
        out.append(UInt8(ascii: " "))
        appendYear(civil.year, to: &out)
        out.append(UInt8(ascii: " "))
        appendClock(civil, to: &out)
        out.append(contentsOf: " GMT".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `HH:mm:ss`.
    private static func appendClock(_ civil: CivilDateTime, to out: inout [UInt8]) {
        appendTwoDigits(civil.hour, to: &out)
        out.append(UInt8(ascii: ":"))
        appendTwoDigits(civil.minute, to: &out)
        out.append(UInt8(ascii: ":"))
        appendTwoDigits(civil.second, to: &out)
    }

    /// Appends a value 0–99 as two digits.
    private static func appendTwoDigits(_ value: Int, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "0") + UInt8(value / 10))
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// Appends a year as at least four digits, with a leading `-` before year 0.
    private static func appendYear(_ year: Int, to out: inout [UInt8]) {
        if year < 0 {
            out.append(UInt8(ascii: "-"))
        }
        let digits = Array(String(year.magnitude).utf8)
        if digits.count < 4 {
            out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 4 - digits.count))
        }
        out.append(contentsOf: digits)
    }
}
