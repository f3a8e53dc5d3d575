import Testing
@testable import FacteurMIME

struct AddressParserTests {
    @Test(arguments: [
        ("alice@example.org", [EnvelopeAddress(mailbox: "alice", host: "example.org")]),
        ("Alice Smith <alice@example.org>", [EnvelopeAddress(name: "Alice Smith", mailbox: "alice", host: "example.org")]),
        ("\"Smith, Alice\" <alice@example.org>, bob@example.org", [
            EnvelopeAddress(name: "Smith, Alice", mailbox: "alice", host: "example.org"),
            EnvelopeAddress(mailbox: "bob", host: "example.org"),
        ]),
        ("bbb@ddd.com (John X. Doe)", [EnvelopeAddress(name: "John X. Doe", mailbox: "bbb", host: "ddd.com")]),
        ("<@route.example:alice@example.org>", [EnvelopeAddress(adl: "@route.example", mailbox: "alice", host: "example.org")]),
        ("=?utf-8?q?Zo=C3=AB?= <zoe@example.org>", [EnvelopeAddress(name: "=?utf-8?q?Zo=C3=AB?=", mailbox: "zoe", host: "example.org")]),
        ("undisclosed-recipients:;", [.groupStart("undisclosed-recipients"), .groupEnd]),
        ("A Group: a@x, B <b@y>; c@z", [
            .groupStart("A Group"), EnvelopeAddress(mailbox: "a", host: "x"), EnvelopeAddress(name: "B", mailbox: "b", host: "y"),
            .groupEnd, EnvelopeAddress(mailbox: "c", host: "z"),
        ]),
        ("XX", [EnvelopeAddress(mailbox: "XX", host: AddressParser.missingHost)]),
        ("\"john doe\"@example.org", [EnvelopeAddress(mailbox: "\"john doe\"", host: "example.org")]),
        ("a@x,,b@y", [EnvelopeAddress(mailbox: "a", host: "x"), EnvelopeAddress(mailbox: "b", host: "y")]),
        ("Broken <a@x", [EnvelopeAddress(name: "Broken", mailbox: "a", host: "x")]),
        ("", []),
    ])
    func parses(_ value: String, _ expected: [EnvelopeAddress]) {
        #expect(AddressParser.parse(value) == expected)
    }

    @Test func senderAndReplyToDefaultToFrom() {
        let bytes = Array("From: a@x\r\nTo: b@y\r\nReply-To: r@z\r\n\r\n".utf8)
        let envelope = Envelope(header: MessageHeader(bytes, range: 0..<bytes.count))
        #expect(envelope.sender == [EnvelopeAddress(mailbox: "a", host: "x")])
        #expect(envelope.replyTo == [EnvelopeAddress(mailbox: "r", host: "z")])
        #expect(envelope.cc.isEmpty && envelope.date == nil && envelope.messageID == nil)
    }

    @Test func manyAddressesAreBounded() {
        let value = Array(repeating: "a@b", count: 5000).joined(separator: ",")
        #expect(AddressParser.parse(value).count == MIMELimits.maxAddresses)
    }
}
