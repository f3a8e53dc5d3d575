import Foundation
import Testing
@testable import FacteurIMAPCore
import FacteurMIME

private func encoded(_ response: IMAPResponse) -> String {
    IMAPResponseEncoder.encode(response).text
}

struct ResponseEncoderTests {
    @Test(arguments: [
        (IMAPResponse.tagged(tag: "a1", status: .ok, code: nil, text: "LOGIN completed"), "a1 OK LOGIN completed\r\n"),
        (.tagged(tag: "a2", status: .no, code: .tryCreate, text: "No such mailbox"), "a2 NO [TRYCREATE] No such mailbox\r\n"),
        (.tagged(tag: "a3", status: .bad, code: nil, text: "line1\r\nline2"), "a3 BAD line1  line2\r\n"),
        (.tagged(tag: "a4", status: .ok, code: .readWrite, text: ""), "a4 OK [READ-WRITE] completed\r\n"),
        (.tagged(tag: "a5", status: .ok, code: .appendUID(uidValidity: 38505, uids: SequenceSet(numbers: [3955])), text: "APPEND completed"),
         "a5 OK [APPENDUID 38505 3955] APPEND completed\r\n"),
        (.tagged(tag: "a6", status: .ok,
                 code: .copyUID(uidValidity: 38505, source: SequenceSet(numbers: [304, 319, 320, 321]), destination: SequenceSet(numbers: [3956, 3957, 3958, 3959])),
                 text: "Done"),
         "a6 OK [COPYUID 38505 304,319:321 3956:3959] Done\r\n"),
        (.tagged(tag: "a7", status: .no, code: .badCharset(["UTF-8", "US-ASCII"]), text: "Unsupported charset"),
         "a7 NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset\r\n"),
        (.untagged(.condition(.ok, .permanentFlags([.seen, .deleted, Flag("\\*")]), "Limited")),
         "* OK [PERMANENTFLAGS (\\Seen \\Deleted \\*)] Limited\r\n"),
        (.untagged(.condition(.ok, .uidValidity(3857529045), "UIDs valid")), "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n"),
        (.untagged(.condition(.ok, .uidNext(4392), "Predicted next UID")), "* OK [UIDNEXT 4392] Predicted next UID\r\n"),
        (.untagged(.condition(.ok, .unseen(12), "Message 12 is first unseen")), "* OK [UNSEEN 12] Message 12 is first unseen\r\n"),
        (.untagged(.condition(.bye, nil, "Logging out")), "* BYE Logging out\r\n"),
        (.untagged(.capability(["IMAP4rev1", "IDLE", "AUTH=PLAIN"])), "* CAPABILITY IMAP4rev1 IDLE AUTH=PLAIN\r\n"),
        (.untagged(.exists(23)), "* 23 EXISTS\r\n"),
        (.untagged(.recent(5)), "* 5 RECENT\r\n"),
        (.untagged(.expunge(3)), "* 3 EXPUNGE\r\n"),
        (.untagged(.search([2, 84, 882])), "* SEARCH 2 84 882\r\n"),
        (.untagged(.search([])), "* SEARCH\r\n"),
        (.untagged(.flags([.answered, .flagged, .deleted, .seen, .draft])), "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"),
        (.untagged(.list(ListEntry(attributes: ["\\HasNoChildren", "\\Sent"], name: IMAPMailboxName(wire: "Sent Items")))),
         "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent Items\"\r\n"),
        (.untagged(.list(ListEntry(attributes: ["\\Noselect"], delimiter: nil, name: IMAPMailboxName(wire: "")))),
         "* LIST (\\Noselect) NIL \"\"\r\n"),
        (.untagged(.lsub(ListEntry(attributes: [], name: IMAPMailboxName(wire: "a\"b")))), "* LSUB () \"/\" \"a\\\"b\"\r\n"),
        (.untagged(.status(IMAPMailboxName(wire: "blurdybloop"), [StatusItem(.messages, 231), StatusItem(.uidNext, 44292)])),
         "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n"),
        (.untagged(.status(IMAPMailboxName(wire: "Sent Items"), [])), "* STATUS \"Sent Items\" ()\r\n"),
        (.untagged(.namespace(personal: [NamespaceDescription(prefix: "")], otherUsers: nil, shared: nil)),
         "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n"),
        (.untagged(.id([IDParameter(key: "name", value: "Facteur"), IDParameter(key: "support-url", value: nil)])),
         "* ID (\"name\" \"Facteur\" \"support-url\" NIL)\r\n"),
        (.untagged(.id(nil)), "* ID NIL\r\n"),
        (.untagged(.enabled(["CONDSTORE"])), "* ENABLED CONDSTORE\r\n"),
        (.continuation("Ready for literal"), "+ Ready for literal\r\n"),
        (.challenge([]), "+ \r\n"),
        (.challenge(Array("hi".utf8)), "+ aGk=\r\n"),
    ])
    func encodes(_ response: IMAPResponse, _ expected: String) {
        #expect(encoded(response) == expected)
    }

    @Test func fetchItems() throws {
        let date = IMAPDateTime(date: Date(timeIntervalSince1970: 837_596_665), zoneMinutes: -420)
        let response = IMAPResponse.untagged(.fetch(12, [
            .uid(4827313), .flags([.seen]), .internalDate(date), .rfc822Size(4286),
            .bodySection(SectionSpec(text: .headerFields(["FROM"])), origin: nil, data: Array("From: a@b\r\n\r\n".utf8)),
            .bodySection(.whole, origin: 100, data: Array("xy".utf8)),
            .bodySection(SectionSpec(part: [3]), origin: nil, data: nil),
            .bodySection(SectionSpec(part: [1], text: .mime), origin: nil, data: []),
        ]))
        #expect(encoded(response) == "* 12 FETCH (UID 4827313 FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4286 "
            + "BODY[HEADER.FIELDS (FROM)] {13}\r\nFrom: a@b\r\n\r\n BODY[]<100> {2}\r\nxy BODY[3] NIL BODY[1.MIME] \"\")\r\n")
    }

    @Test func envelopeQuotingAndLiterals() {
        let envelope = Envelope(
            date: "Wed, 17 Jul 1996 02:23:25 -0700 (PDT)", subject: "Café \"menu\"",
            from: [EnvelopeAddress(name: "Terry Gray", mailbox: "gray", host: "cac.washington.edu")],
            sender: [], replyTo: [],
            to: [.groupStart("team"), EnvelopeAddress(mailbox: "imap", host: "cac.washington.edu"), .groupEnd],
            messageID: "<B27397-0100000@cac.washington.edu>")
        let text = written { $0.envelope(envelope) }
        #expect(text == "(\"Wed, 17 Jul 1996 02:23:25 -0700 (PDT)\" {12}\r\nCafé \"menu\" "
            + "((\"Terry Gray\" NIL \"gray\" \"cac.washington.edu\")) NIL NIL "
            + "((NIL NIL \"team\" NIL)(NIL NIL \"imap\" \"cac.washington.edu\")(NIL NIL NIL NIL)) NIL NIL NIL "
            + "\"<B27397-0100000@cac.washington.edu>\")")
    }

    @Test func stringChoice() {
        #expect(written { $0.string("plain") } == "\"plain\"")
        #expect(written { $0.string("a\\b\"c") } == "\"a\\\\b\\\"c\"")
        #expect(written { $0.string("two\r\nlines") } == "{10}\r\ntwo\r\nlines")
        #expect(written { $0.string("é") } == "{2}\r\né")
        #expect(written { $0.string(String(repeating: "x", count: 1025)) }.hasPrefix("{1025}\r\n"))
        #expect(written { $0.astring("INBOX") } == "INBOX")
        #expect(written { $0.astring("NIL") } == "\"NIL\"")
        #expect(written { $0.astring("") } == "\"\"")
        #expect(written { $0.nstring(nil as String?) } == "NIL")
    }

    @Test func bodyStructureEncoding() {
        let text = BodyStructure.single(.init(type: "TEXT", subtype: "PLAIN", parameters: [BodyParameter("CHARSET", "US-ASCII")],
                                              encoding: "7BIT", size: 3028, kind: .text(lines: 92)))
        let attachment = BodyStructure.single(.init(type: "APPLICATION", subtype: "PDF", parameters: [BodyParameter("NAME", "a.pdf")],
                                                    encoding: "BASE64", size: 100,
                                                    disposition: BodyDisposition(kind: "ATTACHMENT", parameters: [BodyParameter("FILENAME", "a.pdf")]),
                                                    language: ["en", "fr"]))
        let mixed = BodyStructure.multi(.init(parts: [text, attachment], subtype: "MIXED", parameters: [BodyParameter("BOUNDARY", "x")]))
        #expect(written { $0.body(text, extensions: false) } == "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92)")
        #expect(written { $0.body(mixed, extensions: true) }
            == "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92 NIL NIL NIL NIL)"
            + "(\"APPLICATION\" \"PDF\" (\"NAME\" \"a.pdf\") NIL NIL \"BASE64\" 100 NIL (\"ATTACHMENT\" (\"FILENAME\" \"a.pdf\")) (\"en\" \"fr\") NIL)"
            + " \"MIXED\" (\"BOUNDARY\" \"x\") NIL NIL NIL)")
        #expect(written { $0.body(mixed, extensions: false) }
            == "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"US-ASCII\") NIL NIL \"7BIT\" 3028 92)"
            + "(\"APPLICATION\" \"PDF\" (\"NAME\" \"a.pdf\") NIL NIL \"BASE64\" 100) \"MIXED\")")
    }
}
