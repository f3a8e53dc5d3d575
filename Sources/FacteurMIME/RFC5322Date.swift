import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// RFC 5322 §3.3 date-time. Parsing takes the obsolete forms of §4.3 too (two-digit years,
/// named zones): `[day-of-week ","] day month year hour ":" minute [":" second] zone`, comments
/// dropped. Formatting is always in UTC: "Sun, 29 Nov 2026 06:21:24 +0000".
public enum RFC5322Date {
    static let maxLength = 200
    static let dayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let zones: [String: Int] = ["ut": 0, "gmt": 0, "z": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5,
                                       "mst": -7, "mdt": -6, "pst": -8, "pdt": -7]

    public static func format(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var tm = tm()
        gmtime_r(&t, &tm)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(dayNames[Int(tm.tm_wday)]), \(tm.tm_mday) \(monthNames[Int(tm.tm_mon)]) \(tm.tm_year + 1900) "
            + "\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)) +0000"
    }

    /// The calendar day of a `Date:` value in the header's own zone, time ignored (what IMAP's
    /// SENTON compares, RFC 3501 §6.4.4). Leniency: the day of week, the time and the zone are
    /// optional, "-" separates like a space; obsolete years follow §4.3 (00–49 → 20xx,
    /// 50–99 → 19xx, three digits → 1900 + n). Month is 1...12.
    public static func calendarDay(_ value: String) -> (year: Int, month: Int, day: Int)? {
        guard value.utf8.count <= maxLength else { return nil }
        var text = Substring(value)
        if let comma = text.firstIndex(of: ",") { text = text[text.index(after: comma)...] }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "-" })
        guard words.count >= 3, let day = Int(words[0]), words[1].count >= 3,
              let month = months.firstIndex(of: words[1].prefix(3).lowercased()), var year = Int(words[2]) else { return nil }
        if words[2].count <= 2 { year += year < 50 ? 2000 : 1900 } else if words[2].count == 3 { year += 1900 }
        return (year, month + 1, day)
    }

    public static func parse(_ text: String) -> Date? {
        guard text.utf8.count <= maxLength else { return nil }
        // Drop comments "(…)" (no nesting needed for dates in practice; nested ones just end early).
        var cleaned = ""
        var depth = 0
        for c in text {
            if c == "(" { depth += 1; continue }
            if c == ")" { depth = max(0, depth - 1); continue }
            if depth == 0 { cleaned.append(c == "," ? " " : c) }
        }
        var tokens = cleaned.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).map { String($0).lowercased() }
        if let f = tokens.first, f.first?.isLetter == true { tokens.removeFirst() }   // day-of-week
        guard tokens.count >= 4, let day = Int(tokens[0]), (1...31).contains(day),
              let month = months.firstIndex(of: String(tokens[1].prefix(3))), var year = Int(tokens[2]) else { return nil }
        if tokens[2].count == 2 { year += year < 50 ? 2000 : 1900 } else if tokens[2].count == 3 { year += 1900 }
        let hms = tokens[3].split(separator: ":").map { Int($0) }
        guard hms.count == 2 || hms.count == 3, let h = hms[0], let m = hms[1], (0...23).contains(h), (0...59).contains(m),
              (1...9999).contains(year) else { return nil }
        let s = hms.count == 3 ? hms[2] : 0
        guard let sec = s, (0...60).contains(sec) else { return nil }
        var offsetMinutes = 0
        if tokens.count > 4 {
            let z = tokens[4]
            if let sign = z.first, sign == "+" || sign == "-", z.count == 5, let v = Int(z.dropFirst()) {
                offsetMinutes = (v / 100) * 60 + v % 100
                if sign == "-" { offsetMinutes = -offsetMinutes }
            } else if let hours = zones[z] {
                offsetMinutes = hours * 60
            }
        }
        let days = daysFromCivil(year: year, month: month + 1, day: day)
        let seconds = days * 86_400 + h * 3600 + m * 60 + sec - offsetMinutes * 60
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (400-year eras of 146,097 days, years
    /// counted from March so that the leap day is last).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
