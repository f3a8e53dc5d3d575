import Foundation

/// The INTERNALDATE of a message (RFC 3501 §2.3.3, §9):
///
///     date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
///     date-day-fixed = (SP DIGIT) / 2DIGIT ; time = 2DIGIT ":" 2DIGIT ":" 2DIGIT ; zone = ("+" / "-") 4DIGIT
///
/// Parsed by hand (no DateFormatter: no locale, no shared state). Leniency: a one-digit day
/// without its leading space is accepted.
public enum IMAPInternalDate {
    private static let months = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

    public static func parse(_ text: String) -> Date? {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count == 3 else { return nil }
        let dayMonthYear = fields[0].split(separator: "-", omittingEmptySubsequences: false)
        let clock = fields[1].split(separator: ":", omittingEmptySubsequences: false)
        let zone = fields[2]
        guard dayMonthYear.count == 3, clock.count == 3, zone.count == 5,
              let day = digits(dayMonthYear[0], 1...2), let year = digits(dayMonthYear[2], 4...4),
              let monthIndex = months.firstIndex(of: dayMonthYear[1].uppercased()),
              let hour = digits(clock[0], 2...2), let minute = digits(clock[1], 2...2),
              let second = digits(clock[2], 2...2),
              let sign = zone.first, sign == "+" || sign == "-",
              let zoneHours = digits(zone.dropFirst().prefix(2), 2...2),
              let zoneMinutes = digits(zone.dropFirst(3), 2...2) else { return nil }
        let month = monthIndex + 1
        guard (1...daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 61,
              zoneMinutes < 60 else { return nil }
        let offset = (zoneHours * 3600 + zoneMinutes * 60) * (sign == "-" ? -1 : 1)
        let seconds = daysFromEpoch(year: year, month: month, day: day) * 86_400
            + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    private static func digits(_ text: Substring, _ count: ClosedRange<Int>) -> Int? {
        guard count.contains(text.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        return Int(text)
    }

    private static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (civil-from-days inverse).
    static func daysFromEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
