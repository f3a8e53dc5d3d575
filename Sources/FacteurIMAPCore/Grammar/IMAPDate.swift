import Foundation

/// `date = date-text / DQUOTE date-text DQUOTE`; `date-text = date-day "-" date-month "-" date-year`
/// (RFC 3501 §9). A calendar day with no time or zone, as SEARCH uses it.
public struct IMAPDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), (1...9999).contains(year),
              (1...IMAPDate.days(inMonth: month, year: year)).contains(day) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The calendar day of `date` in `timeZone`.
    public init(_ date: Date, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        year = parts.year ?? 1970; month = parts.month ?? 1; day = parts.day ?? 1
    }

    public static func < (lhs: IMAPDate, rhs: IMAPDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func month(named name: String) -> Int? {
        monthNames.firstIndex { $0.lowercased() == name.lowercased() }.map { $0 + 1 }
    }

    public var description: String { "\(day)-\(IMAPDate.monthNames[month - 1])-\(year)" }
}

/// `date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE`
/// (RFC 3501 §9): APPEND's and INTERNALDATE's instant with the zone it was given in.
public struct IMAPDateTime: Hashable, Sendable, CustomStringConvertible {
    public var date: Date
    /// Offset east of UTC in minutes (`+0200` → 120).
    public var zoneMinutes: Int

    public init(date: Date, zoneMinutes: Int = 0) {
        self.date = date; self.zoneMinutes = zoneMinutes
    }

    init?(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, zoneMinutes: Int) {
        guard IMAPDate(year: year, month: month, day: day) != nil, (0...23).contains(hour),
              (0...59).contains(minute), (0...60).contains(second), abs(zoneMinutes) < 24 * 60 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        guard let utc = TimeZone(secondsFromGMT: 0) else { return nil }
        calendar.timeZone = utc
        let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let local = calendar.date(from: parts) else { return nil }
        self.date = local.addingTimeInterval(TimeInterval(-zoneMinutes * 60))
        self.zoneMinutes = zoneMinutes
    }

    /// `"17-Jul-1996 02:44:25 -0700"` (day space-padded to two characters).
    public var description: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: zoneMinutes * 60) ?? calendar.timeZone
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { let v = value ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let day = p.day ?? 1
        let dayText = day < 10 ? " \(day)" : "\(day)"
        let sign = zoneMinutes < 0 ? "-" : "+"
        let zone = abs(zoneMinutes)
        let month = IMAPDate.monthNames[max(0, min(11, (p.month ?? 1) - 1))]
        let year = String(p.year ?? 1970)
        return "\(dayText)-\(month)-\(year) \(two(p.hour)):\(two(p.minute)):\(two(p.second)) \(sign)\(two(zone / 60))\(two(zone % 60))"
    }
}

extension IMAPReader {
    /// `date` — SEARCH's day, quoted or not.
    mutating func date() throws(IMAPParseError) -> IMAPDate {
        let quoted = skip(UInt8(ascii: "\""))
        let day = Int(try number("a day"))
        try expect(UInt8(ascii: "-"), "'-' in date")
        let monthName = String(decoding: try take("a month", while: { IMAPGrammar.upper($0) >= 65 && IMAPGrammar.upper($0) <= 90 }), as: UTF8.self)
        try expect(UInt8(ascii: "-"), "'-' in date")
        let year = Int(try number("a year"))
        if quoted { try expect(UInt8(ascii: "\""), "'\"' closing the date") }
        guard let month = IMAPDate.month(named: monthName), let date = IMAPDate(year: year, month: month, day: day) else {
            throw error("Invalid date")
        }
        return date
    }

    /// `date-time`. Leniency: a one-digit day without its padding space is accepted.
    mutating func dateTime() throws(IMAPParseError) -> IMAPDateTime {
        try expect(UInt8(ascii: "\""), "a quoted date-time")
        _ = skip(UInt8(ascii: " "))
        let day = Int(try number("a day"))
        try expect(UInt8(ascii: "-"), "'-' in date-time")
        let monthName = String(decoding: try take("a month", while: { IMAPGrammar.upper($0) >= 65 && IMAPGrammar.upper($0) <= 90 }), as: UTF8.self)
        try expect(UInt8(ascii: "-"), "'-' in date-time")
        let year = Int(try number("a year"))
        try expect(UInt8(ascii: " "), "a space in date-time")
        let hour = Int(try number("an hour"))
        try expect(UInt8(ascii: ":"), "':' in time")
        let minute = Int(try number("minutes"))
        try expect(UInt8(ascii: ":"), "':' in time")
        let second = Int(try number("seconds"))
        try expect(UInt8(ascii: " "), "a space before the zone")
        let negative: Bool
        if skip(UInt8(ascii: "-")) { negative = true } else { try expect(UInt8(ascii: "+"), "a zone"); negative = false }
        let zoneDigits = try take("a zone", while: IMAPGrammar.isDigit)
        guard zoneDigits.count == 4 else { throw error("Zone must have four digits") }
        let zoneValue = Int(String(decoding: zoneDigits, as: UTF8.self)) ?? 0
        let zone = (zoneValue / 100 * 60 + zoneValue % 100) * (negative ? -1 : 1)
        try expect(UInt8(ascii: "\""), "'\"' closing the date-time")
        guard let month = IMAPDate.month(named: monthName),
              let value = IMAPDateTime(year: year, month: month, day: day, hour: hour, minute: minute,
                                       second: second, zoneMinutes: zone) else {
            throw error("Invalid date-time")
        }
        return value
    }
}
