import FacteurTestSupport
import Testing
@testable import FacteurCollect

@Suite struct IMAPTokenReaderTests {
    static let fetch = IMAPResponseFramerTests.fetch

    @Test func tokens() {
        var framer = IMAPResponseFramer(maximumLineLength: 200, maximumLiteral: 100)
        framer.append(Self.fetch.bytes)
        guard case .success(let parts)? = framer.next() else { Issue.record("no frame"); return }
        var reader = IMAPTokenReader(parts)
        var tokens: [IMAPTokenReader.Token] = []
        while let token = reader.next() { tokens.append(token) }
        #expect(tokens == [.atom("*"), .atom("1"), .atom("FETCH"), .open, .atom("UID"), .atom("7"), .atom("BODY[]"),
                           .literal("Hi\r\n{3}\r\nx\r\n".bytes), .atom("INTERNALDATE"), .quoted("17-Jul-1996 02:44:25 -0700".bytes), .close])
        var other = IMAPTokenReader([.text(#"* OK [UIDVALIDITY 3857529045] BODY[HEADER.FIELDS (FROM)]<0> "a\"b\\c" \Seen NIL"#.bytes)])
        tokens = []
        while let token = other.next() { tokens.append(token) }
        #expect(tokens == [.atom("*"), .atom("OK"), .openBracket, .atom("UIDVALIDITY"), .atom("3857529045"), .closeBracket,
                           .atom("BODY[HEADER.FIELDS (FROM)]<0>"), .quoted(#"a"b\c"#.bytes), .atom(#"\Seen"#), .atom("NIL")])
    }

    @Test func malformedInputEndsTheTokens() {
        var reader = IMAPTokenReader([.text("* 1 FETCH (BODY[] \"unterminated".bytes)])
        var tokens: [IMAPTokenReader.Token] = []
        while let token = reader.next() { tokens.append(token) }
        #expect(tokens == [.atom("*"), .atom("1"), .atom("FETCH"), .open, .atom("BODY[]")])
        var control = IMAPTokenReader([.text("\u{1}\u{2} OK".bytes)])
        #expect(control.next() == .atom("OK"))
    }

    @Test func restOfLine() {
        var reader = IMAPTokenReader([.text("C1 NO [ALERT] go away".bytes)])
        _ = reader.next(); _ = reader.next()
        #expect(reader.restOfLine() == "[ALERT] go away")
        #expect(reader.next() == nil)
    }
}
