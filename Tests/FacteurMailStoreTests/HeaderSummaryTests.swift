import Foundation
import Testing
@testable import FacteurMailStore

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
