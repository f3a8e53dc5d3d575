/// The calendar day of an RFC 5322 §3.3 `Date:` value, for SENTBEFORE / SENTON / SENTSINCE
/// (RFC 3501 §6.4.4: the date part, in the header's own zone, time ignored).
/// Leniency: the day of week, seconds and zone are optional; obsolete two-digit years follow
/// RFC 5322 §4.3 (00–49 → 20xx, 50–99 → 19xx).
enum RFC5322Date {
    static func day(_ value: String) -> IMAPDate? {
        var text = value
        if let comma = text.firstIndex(of: ",") { text = String(text[text.index(after: comma)...]) }
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "-" }).map(String.init)
        guard words.count >= 3, let day = Int(words[0]), let month = IMAPDate.month(named: String(words[1].prefix(3))),
              words[1].count >= 3, var year = Int(words[2]) else { return nil }
        if words[2].count <= 2 { year += year < 50 ? 2000 : 1900 } else if words[2].count == 3 { year += 1900 }
        return IMAPDate(year: year, month: month, day: day)
    }
}
