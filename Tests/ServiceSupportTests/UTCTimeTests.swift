import Foundation
import ServiceSupport
import Testing

@Suite struct UTCTimeTests {
    /// Known instants, with the expected renderings (computed independently with Python's datetime).
    static let formatting: [(millis: Int64, rfc3339: String, compact: String, http: String)] = [
        (0, "1970-01-01T00:00:00.000Z", "19700101", "Thu, 01 Jan 1970 00:00:00 GMT"),
        (-1, "1969-12-31T23:59:59.999Z", "19691231", "Wed, 31 Dec 1969 23:59:59 GMT"),
        (951_825_600_000, "2000-02-29T12:00:00.000Z", "20000229", "Tue, 29 Feb 2000 12:00:00 GMT"),
        (4_107_542_399_000, "2100-02-28T23:59:59.000Z", "21000228", "Sun, 28 Feb 2100 23:59:59 GMT"),
        (4_107_542_400_000, "2100-03-01T00:00:00.000Z", "21000301", "Mon, 01 Mar 2100 00:00:00 GMT"),
        (1_796_402_824_123, "2026-12-04T16:47:04.123Z", "20261204", "Fri, 04 Dec 2026 16:47:04 GMT"),
        (-2_208_988_800_000, "1900-01-01T00:00:00.000Z", "19000101", "Mon, 01 Jan 1900 00:00:00 GMT"),
        (1_709_164_800_000, "2024-02-29T00:00:00.000Z", "20240229", "Thu, 29 Feb 2024 00:00:00 GMT"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z", "99991231", "Fri, 31 Dec 9999 23:59:59 GMT"),
        (-62_135_596_800_000, "0001-01-01T00:00:00.000Z", "00010101", "Mon, 01 Jan 0001 00:00:00 GMT"),
        (2_147_483_648_000, "2038-01-19T03:14:08.000Z", "20380119", "Tue, 19 Jan 2038 03:14:08 GMT"),
        (5, "1970-01-01T00:00:00.005Z", "19700101", "Thu, 01 Jan 1970 00:00:00 GMT"),
        (-86_400_000, "1969-12-31T00:00:00.000Z", "19691231", "Wed, 31 Dec 1969 00:00:00 GMT"),
    ]

    @Test(arguments: formatting)
    func formatsKnownInstants(_ row: (millis: Int64, rfc3339: String, compact: String, http: String)) {
        #expect(UTCTime.rfc3339(millis: row.millis) == row.rfc3339)
        #expect(UTCTime.compactDate(millis: row.millis) == row.compact)
        #expect(UTCTime.httpDate(millis: row.millis) == row.http)
        #expect(UTCTime.parseTimestamp(row.rfc3339) == row.millis)
    }

    @Test func civilFieldsRoundTripOverFourHundredYearsAgainstFoundation() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // Every 7 hours 13 minutes from 1800 to 2200: hits all months, leap days and century years.
        let step: Int64 = (7 * 3_600 + 13 * 60) * 1_000 + 17
        var millis: Int64 = -5_364_662_400_000
        var checked = 0
        while millis < 7_258_118_400_000 {
            let civil = CivilDateTime(millis: millis)
            let date = Date(timeIntervalSince1970: Double(millis) / 1_000)
            let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
            if civil.year != parts.year || civil.month != parts.month || civil.day != parts.day
                || civil.hour != parts.hour || civil.minute != parts.minute || civil.second != parts.second
                || civil.weekday + 1 != parts.weekday
            {
                Issue.record("mismatch at \(millis): \(civil) vs \(parts)")
                return
            }
            #expect(civil.epochMillis == millis)
            checked += 1
            millis += step
        }
        #expect(checked > 400_000)
    }

    @Test func leapYearRules() {
        #expect(CivilDateTime.isLeapYear(2000))
        #expect(CivilDateTime.isLeapYear(2024))
        #expect(!CivilDateTime.isLeapYear(1900))
        #expect(!CivilDateTime.isLeapYear(2100))
        #expect(!CivilDateTime.isLeapYear(2023))
        #expect(CivilDateTime.daysInMonth(2, year: 2000) == 29)
        #expect(CivilDateTime.daysInMonth(2, year: 2100) == 28)
        #expect(CivilDateTime.daysInMonth(4, year: 2023) == 30)
        #expect(CivilDateTime.daysInMonth(13, year: 2023) == 0)
    }

    static let validTimestamps: [(String, Int64)] = [
        ("2023-07-10T11:45:12Z", 1_688_989_512_000),
        ("2023-07-10t11:45:12z", 1_688_989_512_000),
        ("2023-07-10 11:45:12Z", 1_688_989_512_000),
        ("2023-07-10T11:45:12", 1_688_989_512_000),
        ("2023-07-10T11:45:12+00:00", 1_688_989_512_000),
        ("2023-07-10T11:45:12-00:00", 1_688_989_512_000),
        ("2023-07-10T06:45:12-05:00", 1_688_989_512_000),
        ("2023-07-10T17:15:12+05:30", 1_688_989_512_000),
        ("2023-07-10T17:15:12+0530", 1_688_989_512_000),
        ("2023-07-10T13:45:12+02", 1_688_989_512_000),
        ("2023-07-09T23:45:12-12:00", 1_688_989_512_000),
        ("2023-07-10T11:45:12.1Z", 1_688_989_512_100),
        ("2023-07-10T11:45:12.12Z", 1_688_989_512_120),
        ("2021-02-16T21:55:26.373Z", 1_613_512_526_373),
        ("2023-07-10T11:45:12.123456789Z", 1_688_989_512_123),
        ("2023-07-10T11:45:12,999999+00:00", 1_688_989_512_999),
        ("2023-07-10T11:45:12.5-05:00", 1_689_007_512_500),
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59.999Z", -1),
        ("1970-01-01T00:00:00+01:00", -3_600_000),
        ("2000-02-29T12:00:00Z", 951_825_600_000),
        ("2024-02-29T00:00:00Z", 1_709_164_800_000),
        ("2100-03-01T00:00:00Z", 4_107_542_400_000),
        ("2016-12-31T23:59:60Z", 1_483_228_800_000),
    ]

    @Test(arguments: validTimestamps)
    func parsesValidTimestamps(_ row: (String, Int64)) {
        #expect(UTCTime.parseTimestamp(row.0) == row.1, "\(row.0)")
        let bytes = Array(row.0.utf8)
        #expect(bytes.withUnsafeBytes { UTCTime.parseTimestamp($0) } == row.1)
    }

    static let invalidTimestamps: [String] = [
        "", "2023", "2023-07-10", "2023-07-10T", "2023-07-10T11:45", "2023-7-10T11:45:12Z",
        "2023-07-10X11:45:12Z", "2023-07-10T11:45:12Zjunk", "2023-07-10T11:45:12 ", " 2023-07-10T11:45:12Z",
        "2023-07-10T24:00:00Z", "2023-07-10T11:60:00Z", "2023-07-10T11:45:61Z", "2023-13-01T00:00:00Z",
        "2023-00-01T00:00:00Z", "2023-07-00T00:00:00Z", "2023-07-32T00:00:00Z", "2023-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2023-04-31T00:00:00Z", "2023-07-10T11:45:12.Z",
        "2023-07-10T11:45:12.", "2023-07-10T11:45:12+5:00", "2023-07-10T11:45:12+24:00",
        "2023-07-10T11:45:12+05:60", "2023-07-10T11:45:12+05:3", "2023-07-10T11:45:12+", "abcd-ef-ghTij:kl:mnZ",
        "2023-07-10T11:45:12ZZ", "+2023-07-10T11:45:12Z", "2023-07-10T11:45:12.123.456Z",
    ]

    @Test(arguments: invalidTimestamps)
    func rejectsGarbage(_ text: String) {
        #expect(UTCTime.parseTimestamp(text) == nil, "\(text)")
    }

    @Test func nowIsCloseToFoundationClock() {
        let foundation = Int64(Date().timeIntervalSince1970 * 1_000)
        let ours = UTCTime.nowMillis()
        #expect(abs(ours - foundation) < 5_000)
    }
}
