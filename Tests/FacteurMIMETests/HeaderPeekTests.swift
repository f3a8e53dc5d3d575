import Testing
@testable import FacteurMIME

@Suite struct HeaderPeekTests {
    @Test func onePassFindsTheFirstOfEachField() {
        let bytes = Array("Subject : one\r\n\tfolded\r\nFrom: a@b \r\nSubject: two\r\nDate: 1 Jan 2024 00:00 GMT\r\n\r\nTo: body@x\r\n".utf8)
        let found = HeaderPeek.fields(["subject", "From", "to", "date"], in: bytes)
        #expect(found == ["subject": "one\tfolded", "from": "a@b", "date": "1 Jan 2024 00:00 GMT"])
        #expect(HeaderPeek.field("TO", in: bytes) == nil)
    }

    @Test func aFieldCutByTheEndIsStillRead() {
        #expect(HeaderPeek.field("subject", in: Array("From: a\nSubject: cut in the".utf8)) == "cut in the")
        #expect(HeaderPeek.fields(["from"], in: []) == [:])
    }
}
