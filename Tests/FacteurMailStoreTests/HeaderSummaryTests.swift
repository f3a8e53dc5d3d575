import Foundation
import Testing
@testable import FacteurMailStore
import FacteurMIME

@Suite struct HeaderSummaryTests {
    @Test func foldedCRLFHeaders() {
        let h = HeaderSummary.parse(Array("Received: x\r\nFROM:  Alice\r\n <a@x>\r\nSubject: =?UTF-8?Q?caf=C3=A9?=\r\n\tmore\r\nDate: 1 Jan 2024 00:00 GMT\r\nSubject: second\r\n\r\nSubject: body\r\n".utf8))
        #expect(h.from == "Alice <a@x>")
        #expect(h.subject == "=?UTF-8?Q?caf=C3=A9?=\tmore")
        #expect(h.date == "1 Jan 2024 00:00 GMT")
    }

    @Test func bareLFAndTruncatedHeader() {
        let h = HeaderSummary.parse(Array("From: a\nSubject: cut in the mid".utf8))
        #expect(h.from == "a" && h.subject == "cut in the mid" && h.date == nil)
    }

    @Test func bodyIsNotHeader() {
        let h = HeaderSummary.parse(Array("\r\nFrom: nobody\r\n".utf8))
        #expect(h == HeaderSummary())
        #expect(HeaderSummary.parse([]) == HeaderSummary())
        #expect(HeaderSummary.parse(Array("no colon line\r\n: empty name\r\n".utf8)) == HeaderSummary())
    }
}

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
}
