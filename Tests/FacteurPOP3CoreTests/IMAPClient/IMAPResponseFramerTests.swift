import Testing
@testable import FacteurPOP3Core

@Suite struct IMAPResponseFramerTests {
    typealias Part = IMAPResponseFramer.Part

    func frames(_ chunks: [[UInt8]], line: Int = 200, literal: Int = 100) -> [Result<[Part], IMAPResponseFramer.FramingError>] {
        var framer = IMAPResponseFramer(maximumLineLength: line, maximumLiteral: literal)
        var out: [Result<[Part], IMAPResponseFramer.FramingError>] = []
        for chunk in chunks {
            framer.append(chunk)
            while let frame = framer.next() {
                out.append(frame)
                if case .failure = frame { return out }
            }
        }
        return out
    }

    static let fetch = "* 1 FETCH (UID 7 BODY[] {12}\r\nHi\r\n{3}\r\nx\r\n INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")\r\nC3 OK done\r\n"

    @Test func literalWithLineEndsAndBracesInside() {
        let expected: [Result<[Part], IMAPResponseFramer.FramingError>] = [
            .success([.text("* 1 FETCH (UID 7 BODY[] {12}".bytes), .literal("Hi\r\n{3}\r\nx\r\n".bytes),
                      .text(" INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")".bytes)]),
            .success([.text("C3 OK done".bytes)]),
        ]
        #expect(frames([Self.fetch.bytes]) == expected)
        #expect(frames(Self.fetch.bytes.map { [$0] }) == expected)
        var random = SeededRandom(seed: 3)
        for _ in 0..<100 { #expect(frames(randomSplits(Self.fetch.bytes, using: &random)) == expected) }
    }

    @Test func incompleteLiteralReturnsNothing() {
        #expect(frames(["* 1 FETCH (BODY[] {10}\r\nabc".bytes]).isEmpty)
    }

    @Test func limits() {
        #expect(frames(["* 1 FETCH (BODY[] {101}\r\n".bytes]) == [.failure(.literalTooLarge(101))])
        #expect(frames([(String(repeating: "x", count: 30) + "\r\n").bytes], line: 20) == [.failure(.lineTooLong)])
    }

    @Test(arguments: [("a {5}", 5), ("a {5+}", 5), ("{0}", 0), ("a {}", nil), ("a {x}", nil), ("a {5} ", nil), ("no", nil)] as [(String, Int?)])
    func literalAnnouncement(line: String, expected: Int?) {
        #expect(IMAPResponseFramer.literalAnnouncement(line.bytes) == expected)
    }

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
}

@Suite struct IMAPInternalDateTests {
    @Test(arguments: [
        ("17-Jul-1996 02:44:25 -0700", 837_596_665.0),
        (" 1-Jan-1970 00:00:00 +0000", 0),
        ("1-Jan-1970 01:00:00 +0100", 0),
        ("29-Feb-2024 12:00:00 +0000", 1_709_208_000),
        ("31-Dec-1999 23:59:59 -0000", 946_684_799),
    ])
    func valid(text: String, epoch: Double) {
        #expect(IMAPInternalDate.parse(text)?.timeIntervalSince1970 == epoch)
    }

    @Test(arguments: ["29-Feb-2023 12:00:00 +0000", "17-Jly-1996 02:44:25 -0700", "17-Jul-1996 24:00:00 +0000",
                      "17-Jul-1996 02:44:25", "17-Jul-96 02:44:25 -0700", "", "32-Jan-2000 00:00:00 +0000",
                      "17-Jul-1996 02:44:25 0700"])
    func invalid(text: String) {
        #expect(IMAPInternalDate.parse(text) == nil)
    }
}
