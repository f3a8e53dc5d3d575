import Testing
@testable import FacteurMIME

struct MessageHeaderTests {
    private func header(_ text: String) -> MessageHeader {
        let bytes = Array(text.utf8)
        let (range, _) = MessageHeader.split(bytes, range: 0..<bytes.count)
        return MessageHeader(bytes, range: range)
    }

    @Test func unfoldsAndKeepsOrder() {
        let parsed = header("Subject: a long\r\n\tsubject\r\nX-A: 1\r\nx-a: 2\r\nTo:  bob@example.org \r\n\r\nbody\r\n")
        #expect(parsed.fields.map(\.name) == ["Subject", "X-A", "x-a", "To"])
        #expect(parsed.first("subject") == "a long\tsubject")
        #expect(parsed.all("X-A") == ["1", "2"])
        #expect(parsed.first("TO") == "bob@example.org")
        #expect(parsed.first("Cc") == nil)
    }

    @Test func skipsBrokenLines() {
        let parsed = header("From nobody Mon Jan  1 00:00:00 2001\nSubject: x\ngarbage line\n : nameless\nTo: y\n\n")
        #expect(parsed.fields.map(\.name) == ["Subject", "To"])
    }

    @Test func splitsHeaderAndBody() {
        let bytes = Array("A: 1\r\n\r\nbody".utf8)
        let (head, body) = MessageHeader.split(bytes, range: 0..<bytes.count)
        #expect(head == 0..<8)
        #expect(body == 8..<12)
        let headerOnly = Array("A: 1\r\n".utf8)
        #expect(MessageHeader.split(headerOnly, range: 0..<headerOnly.count).body.isEmpty)
        let noHeader = Array("\r\nbody".utf8)
        #expect(MessageHeader.split(noHeader, range: 0..<noHeader.count) == (0..<2, 2..<6))
    }

    @Test func eightBitHeadersSurvive() {
        let latin1: [UInt8] = Array("Subject: caf".utf8) + [0xE9] + [13, 10, 13, 10]
        let parsed = MessageHeader(latin1, range: 0..<latin1.count)
        #expect(parsed.first("Subject") == "café")
        let utf8 = header("Subject: café\r\n\r\n")
        #expect(utf8.first("Subject") == "café")
    }

    @Test func lineEndings() {
        #expect(LineEndings.crlf(Array("a\nb\r\nc\n".utf8)).text == "a\r\nb\r\nc\r\n")
        #expect(LineEndings.countLines(Array("a\r\nb".utf8)[...]) == 2)
        #expect(LineEndings.countLines(Array("a\r\nb\r\n".utf8)[...]) == 2)
        #expect(LineEndings.countLines([][...]) == 0)
    }
}
