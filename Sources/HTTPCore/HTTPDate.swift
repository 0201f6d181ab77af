#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Formats the HTTP `Date` header value (IMF-fixdate, RFC 9110 §5.6.7), for example
/// `Sun, 06 Nov 1994 08:49:37 GMT`.
public enum HTTPDate {
    private static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let monthNames = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    /// Formats a point in time.
    /// - Parameter epochSeconds: Seconds since 1970-01-01T00:00:00Z.
    /// - Returns: The IMF-fixdate string.
    public static func string(fromEpochSeconds epochSeconds: Int) -> String {
        var time = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var text = ""
        text.reserveCapacity(29)
        text += Self.dayNames[Int(parts.tm_wday) % 7]
        text += ", "
        text += Self.twoDigits(Int(parts.tm_mday))
        text += " "
        text += Self.monthNames[Int(parts.tm_mon) % 12]
        text += " "
        text += String(Int(parts.tm_year) + 1900)
        text += " "
        text += Self.twoDigits(Int(parts.tm_hour))
        text += ":"
        text += Self.twoDigits(Int(parts.tm_min))
        text += ":"
        text += Self.twoDigits(Int(parts.tm_sec))
        text += " GMT"
        return text
    }

    /// Formats the current time.
    /// - Returns: The IMF-fixdate string for now.
    public static func now() -> String {
        Self.string(fromEpochSeconds: Int(time(nil)))
    }

    private static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }
}
