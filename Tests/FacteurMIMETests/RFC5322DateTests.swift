import Foundation
import Testing
@testable import FacteurMIME

@Suite struct RFC5322DateTests {
    static let cases: [(String, Double?)] = [
        ("Tue, 1 Jul 2025 10:52:37 +0200", 1_751_359_957),
        ("1 Jul 2025 08:52:37 +0000", 1_751_359_957),
        ("Tue,  1 Jul 2025 08:52 GMT", 1_751_359_920),
        ("Tue, 1 Jul 25 04:52:37 EDT", 1_751_359_957),
        ("Thu, 01 Jan 1970 00:00:00 +0000 (UTC)", 0),
        ("Sat, 29 Feb 2020 23:59:60 -0130", 1_583_026_200),
        ("Mon, 32 Jan 2024 00:00:00 +0000", nil),
        ("1 Foo 2024 00:00 +0000", nil),
        ("1 Jan 2024 25:00 +0000", nil),
        ("garbage", nil),
        ("", nil),
        (String(repeating: "1 ", count: 200), nil),
    ]

    @Test(arguments: cases)
    func parses(_ c: (String, Double?)) {
        #expect(RFC5322Date.parse(c.0)?.timeIntervalSince1970 == c.1)
    }

    @Test func formatsInUTC() {
        #expect(RFC5322Date.format(Date(timeIntervalSince1970: 1_751_359_957)) == "Tue, 1 Jul 2025 08:52:37 +0000")
        #expect(RFC5322Date.format(Date(timeIntervalSince1970: 0.9)) == "Thu, 1 Jan 1970 00:00:00 +0000")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(RFC5322Date.parse(RFC5322Date.format(now)) == now)
    }

    @Test func calendarDayInTheHeadersOwnZone() {
        #expect(RFC5322Date.calendarDay("Tue, 1 Jul 2025 23:52:37 -0700")! == (2025, 7, 1))
        #expect(RFC5322Date.calendarDay("1-jul-25")! == (2025, 7, 1))
        #expect(RFC5322Date.calendarDay("1 Jul 75")! == (1975, 7, 1))
        #expect(RFC5322Date.calendarDay("1 Jul 125")! == (2025, 7, 1))
        #expect(RFC5322Date.calendarDay("1 Ju 2025") == nil)
        #expect(RFC5322Date.calendarDay("yesterday") == nil)
    }
}
