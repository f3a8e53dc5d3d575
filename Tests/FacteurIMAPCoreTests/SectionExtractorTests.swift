import Testing
@testable import FacteurIMAPCore
import FacteurMIME

struct SectionExtractorTests {
    private func section(_ name: String, _ text: String) throws -> String? {
        let message = MIMEMessage(try Fixtures.mime(name))
        var reader = IMAPReader(Array("[\(text)]".utf8))
        return message.section(try reader.section())?.text
    }

    @Test(arguments: [
        ("msg_10.txt", "2", "=A1This is a Quoted Printable encoded message!\r\n"),
        ("msg_10.txt", "2.MIME", "Content-Type: text/html; charset=\"iso-8859-1\"\r\nContent-Transfer-Encoding: Quoted-Printable\r\n\r\n"),
        ("msg_10.txt", "HEADER.FIELDS (SUBJECT from)", "From: Barry Warsaw <barry@python.org>\r\nSubject: Lyrics\r\n\r\n"),
        ("msg_10.txt", "HEADER.FIELDS.NOT (MIME-Version To Date Content-Type)", "From: Barry Warsaw <barry@python.org>\r\nSubject: Lyrics\r\n\r\n"),
        ("msg_10.txt", "HEADER.FIELDS (X-Nothing)", "\r\n"),
        ("msg_11.txt", "1", "Subject: An enclosed message\r\n\r\nHere is the body of the message.\r\n"),
        ("msg_11.txt", "1.HEADER", "Subject: An enclosed message\r\n\r\n"),
        ("msg_11.txt", "1.TEXT", "Here is the body of the message.\r\n"),
        ("msg_11.txt", "1.1", "Here is the body of the message.\r\n"),
        ("msg_11.txt", "1.HEADER.FIELDS (Subject)", "Subject: An enclosed message\r\n\r\n"),
        ("msg_11.txt", "HEADER", "Content-Type: message/rfc822\r\nMIME-Version: 1.0\r\nSubject: The enclosing message\r\n\r\n"),
        ("msg_11.txt", "TEXT", "Subject: An enclosed message\r\n\r\nHere is the body of the message.\r\n"),
        ("msg_28.txt", "2.1", "message 2\r\n"),
        ("msg_28.txt", "2.MIME", "Content-Type: message/rfc822\r\n\r\n"),
        ("msg_28.txt", "2.HEADER.FIELDS (To)", "To: aa@bb.org\r\n\r\n"),
        ("msg_28.txt", "1.TEXT", "message 1\r\n"),
        ("msg_01.txt", "1", "\r\nHi,\r\n\r\nDo you like this message?\r\n\r\n-Me\r\n"),
        ("msg_04.txt", "1", "a simple kind of mirror\r\nto reflect upon our own\r\n"),
        ("msg_24.txt", "1", ""),
    ])
    func extracts(_ name: String, _ spec: String, _ expected: String) throws {
        #expect(try section(name, spec) == expected)
    }

    @Test(arguments: [("msg_10.txt", "6"), ("msg_10.txt", "1.HEADER"), ("msg_10.txt", "1.1"), ("msg_01.txt", "2"), ("msg_01.txt", "1.2")])
    func missingSectionsAreNil(_ name: String, _ spec: String) throws {
        #expect(try section(name, spec) == nil)
    }

    @Test func wholeMessageHeaderAndText() throws {
        let bytes = try Fixtures.mime("msg_23.txt")
        let message = MIMEMessage(bytes)
        #expect(message.section(.whole) == bytes)
        #expect(message.headerBytes + message.textBytes == bytes)
        #expect(message.textBytes.text == "--BOUNDARY\r\nContent-Type: text/plain\r\n\r\nA message part\r\n--BOUNDARY--\r\n")
    }

    @Test func foldedFieldsAreReturnedWhole() {
        let message = MIMEMessage(Array("Subject: one\r\n two\r\nTo: x@y\r\n\r\nbody".utf8))
        #expect(message.section(SectionSpec(text: .headerFields(["subject"])))?.text == "Subject: one\r\n two\r\n\r\n")
    }

    @Test(arguments: [
        (0...3 as ClosedRange<UInt32>?, "0123"), (8...20, "89"), (10...12, ""), (nil, "0123456789"), (4...4, "4"),
    ])
    func partial(_ range: ClosedRange<UInt32>?, _ expected: String) {
        #expect(MIMEMessage.partial(Array("0123456789".utf8), range).text == expected)
    }
}
