import ServiceSupport

/// Reads the `Retry-After` header (RFC 9110 §10.2.3): a number of seconds, or an HTTP-date.
///
/// HTTP-dates are accepted in all three forms of RFC 9110 §5.6.7 (IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`,
/// the obsolete RFC 850 form `Sunday, 06-Nov-94 08:49:37 GMT` and asctime `Sun Nov  6 08:49:37 1994`).
enum RetryAfter {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// The wait a `Retry-After` value asks for.
    /// - Parameters:
    ///   - value: The header value.
    ///   - nowEpochSeconds: The current time, in seconds since 1970.
    /// - Returns: Seconds to wait (0 for a date in the past), or `nil` when the value is neither form.
    static func seconds(_ value: String, nowEpochSeconds: Double) -> Double? {
        let trimmed = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return trimmed.utf8.count <= 9 ? Double(trimmed) : nil
        }
        guard let epoch = epochSeconds(httpDate: trimmed) else { return nil }
        return max(0, Double(epoch) - nowEpochSeconds)
    }

    /// Seconds since 1970 of an HTTP-date in any of the three forms, or `nil`.
    static func epochSeconds(httpDate: String) -> Int? {
        let tokens = httpDate.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" }).map(String.init)
        var day: Int?
        var month: Int?
        var year: Int?
        var clock: (Int, Int, Int)?
        for token in tokens.dropFirst() {
            if let index = months.firstIndex(of: token.lowercased()) {
                month = index + 1
            } else if token.contains(":") {
                let parts = token.split(separator: ":").compactMap { Int($0) }
                guard parts.count == 3, parts[0] < 24, parts[1] < 60, parts[2] < 61 else { return nil }
                clock = (parts[0], parts[1], parts[2])
            } else if token == "GMT" {
                continue
            } else if let number = Int(token) {
                if day == nil, token.count <= 2 {
                    day = number
                } else {
                    year = token.count == 2 ? (number < 70 ? 2_000 + number : 1_900 + number) : number
                }
            } else {
                return nil
            }
        }
        guard let day, let month, let year, let clock, (1...31).contains(day), (1_970...9_999).contains(year) else {
            return nil
        }
        let civil = CivilDateTime(year: year, month: month, day: day, hour: clock.0, minute: clock.1, second: clock.2)
        return Int(civil.epochMillis / 1_000)
    }
}
