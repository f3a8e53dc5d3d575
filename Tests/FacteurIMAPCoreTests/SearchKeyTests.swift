import Testing
@testable import FacteurIMAPCore

private func key(_ text: String) throws -> SearchKey {
    guard case .search(_, let key, _) = try IMAPCommandParser.parse(Array("t SEARCH \(text)\r\n".utf8)).command else {
        throw IMAPParseError("not a search")
    }
    return key
}

struct SearchKeyTests {
    static let day = IMAPDate(year: 2024, month: 3, day: 9)!

    @Test(arguments: [
        ("ALL", SearchKey.all), ("ANSWERED", .answered), ("DELETED", .deleted), ("DRAFT", .draft), ("FLAGGED", .flagged),
        ("NEW", .new), ("OLD", .old), ("RECENT", .recent), ("SEEN", .seen), ("UNANSWERED", .unanswered),
        ("UNDELETED", .undeleted), ("UNDRAFT", .undraft), ("UNFLAGGED", .unflagged), ("UNSEEN", .unseen),
        ("KEYWORD $Junk", .keyword(Flag("$Junk"))), ("UNKEYWORD foo", .unkeyword(Flag("foo"))),
        ("BCC bob", .bcc("bob")), ("BODY \"two words\"", .body("two words")), ("CC {3+}\r\nc c", .cc("c c")),
        ("FROM alice", .from("alice")), ("SUBJECT hi", .subject("hi")), ("TEXT x", .text("x")), ("TO y", .to("y")),
        ("HEADER Message-ID \"<a@b>\"", .header("Message-ID", "<a@b>")), ("HEADER X-Spam \"\"", .header("X-Spam", "")),
        ("BEFORE 9-Mar-2024", .before(day)), ("ON \"9-mar-2024\"", .on(day)), ("SINCE 09-Mar-2024", .since(day)),
        ("SENTBEFORE 9-Mar-2024", .sentBefore(day)), ("SENTON 9-Mar-2024", .sentOn(day)), ("SENTSINCE 9-Mar-2024", .sentSince(day)),
        ("LARGER 1000", .larger(1000)), ("SMALLER 10", .smaller(10)),
        ("UID 1:*", .uid(.all)), ("1:*", .sequenceNumbers(.all)),
        ("NOT SEEN", .not(.seen)), ("OR SEEN FLAGGED", .or(.seen, .flagged)),
        ("OR (SEEN FLAGGED) NOT (DELETED)", .or(.and([.seen, .flagged]), .not(.and([.deleted])))),
        ("SEEN FROM x", .and([.seen, .from("x")])),
        ("NOT OR FROM a TO b", .not(.or(.from("a"), .to("b")))),
    ])
    func parses(_ text: String, _ expected: SearchKey) throws {
        #expect(try key(text) == expected)
        // round trip through the encoder
        let encoded = written { $0.searchKey(expected) }
        #expect(try key(encoded) == expected)
    }

    @Test func charsetDecodesStrings() throws {
        let command = try IMAPCommandParser.parse([UInt8]("t SEARCH CHARSET ISO-8859-1 SUBJECT {3}\r\n".utf8) + [0x63, 0x61, 0xE9] + [13, 10])
        #expect(command.command == .search(charset: "ISO-8859-1", key: .subject("caé"), uid: false))
        #expect(throws: IMAPParseError.self) {
            try IMAPCommandParser.parse([UInt8]("t SEARCH CHARSET UTF-8 SUBJECT {1}\r\n".utf8) + [0xE9, 13, 10])
        }
    }

    @Test func nonASCIIStringsAreEncodedAsLiterals() {
        #expect(written { $0.searchKey(.subject("café")) } == "SUBJECT {5}\r\ncafé")
    }
}
