import FacteurMIME

extension RFC5322Date {
    /// The calendar day of a `Date:` value, for SENTBEFORE / SENTON / SENTSINCE
    /// (RFC 3501 §6.4.4: the date part, in the header's own zone, time ignored).
    static func day(_ value: String) -> IMAPDate? {
        calendarDay(value).flatMap { IMAPDate(year: $0.year, month: $0.month, day: $0.day) }
    }
}
