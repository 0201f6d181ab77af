/// A UTC calendar date and time of day in the proleptic Gregorian calendar, with millisecond precision.
public struct CivilDateTime: Sendable, Hashable {
    /// The year, for example 2026 (years before 1 CE are 0, -1, …).
    public var year: Int
    /// The month, 1 (January) to 12.
    public var month: Int
    /// The day of the month, 1 to 31.
    public var day: Int
    /// The hour, 0 to 23.
    public var hour: Int
    /// The minute, 0 to 59.
    public var minute: Int
    /// The second, 0 to 59.
    public var second: Int
    /// The millisecond, 0 to 999.
    public var millisecond: Int

    /// Creates a date and time; the fields are not checked.
    ///
    /// - Parameters:
    ///   - year: The year.
    ///   - month: The month, 1–12.
    ///   - day: The day of the month, 1–31.
    ///   - hour: The hour, 0–23. Default: 0.
    ///   - minute: The minute, 0–59. Default: 0.
    ///   - second: The second, 0–59. Default: 0.
    ///   - millisecond: The millisecond, 0–999. Default: 0.
    public init(
        year: Int,
        month: Int,
        day: Int,
        hour: Int = 0,
        minute: Int = 0,
        second: Int = 0,
        millisecond: Int = 0
    ) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
    }

    /// Splits an instant into its UTC calendar fields.
    ///
    /// - Parameter millis: Milliseconds since 1970-01-01T00:00:00Z; negative values are before 1970.
    public init(millis: Int64) {
        let (days, millisOfDay) = CivilDateTime.floorDivide(millis, 86_400_000)
        let (year, month, day) = CivilDateTime.civil(fromDays: days)
        self.init(
            year: year,
            month: month,
            day: day,
            hour: Int(millisOfDay / 3_600_000),
            minute: Int(millisOfDay / 60_000 % 60),
            second: Int(millisOfDay / 1_000 % 60),
            millisecond: Int(millisOfDay % 1_000)
        )
    }

    /// The instant these fields describe, in milliseconds since the Unix epoch.
    ///
    /// Fields outside their usual ranges are carried (for example second 60 is the next minute's second 0).
    public var epochMillis: Int64 {
        let days = Int64(CivilDateTime.days(fromYear: year, month: month, day: day))
        let seconds = Int64(hour) * 3_600 + Int64(minute) * 60 + Int64(second)
        return days * 86_400_000 + seconds * 1_000 + Int64(millisecond)
    }

    /// The day of the week, 0 (Sunday) to 6 (Saturday).
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let days = CivilDateTime.days(fromYear: year, month: month, day: day)
        return Int(CivilDateTime.floorDivide(Int64(days) + 4, 7).remainder)
    }

    /// Tells whether `year` is a leap year in the Gregorian calendar.
    ///
    /// - Parameter year: A year.
    /// - Returns: `true` for years divisible by 4, except centuries not divisible by 400.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month.
    ///
    /// - Parameters:
    ///   - month: The month, 1–12.
    ///   - year: The year (for February).
    /// - Returns: 28–31, or 0 when `month` is out of range.
    public static func daysInMonth(_ month: Int, year: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: 31
        case 4, 6, 9, 11: 30
        case 2: isLeapYear(year) ? 29 : 28
        default: 0
        }
    }

    /// Counts days from 1970-01-01 to a civil date.
    ///
    /// The calendar is shifted to start in March, so that the leap day is the last day of the shifted year,
    /// and years are grouped in 400-year eras of 146,097 days each.
    ///
    /// - Returns: The day number; negative before 1970.
    static func days(fromYear year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        // 719,468 days separate 0000-03-01 (the start of era 0) from 1970-01-01.
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Converts a day number (days since 1970-01-01) back to a civil date; the inverse of
    /// ``days(fromYear:month:day:)``.
    static func civil(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let shifted = Int(days) + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// Division rounding towards negative infinity, with a non-negative remainder.
    static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}
