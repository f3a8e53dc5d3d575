import Foundation
import Testing
@testable import FacteurIMAPCore
import FacteurMIME

private func attributes(_ text: String) throws -> [FetchAttribute] {
    guard case .fetch(_, let attributes, _) = try IMAPCommandParser.parse(Array("t FETCH 1 \(text)\r\n".utf8)).command else {
        throw IMAPParseError("not a fetch")
    }
    return attributes
}

/// BINARY (RFC 3516): the grammar, the decoding of parts, what APPEND stores, the session.
struct BinaryFetchTests {
    @Test(arguments: [
        ("BINARY[]", FetchAttribute.binary(peek: false, part: [], partial: nil)),
        ("binary.peek[1]", .binary(peek: true, part: [1], partial: nil)),
        ("BINARY[2.1]<5.10>", .binary(peek: false, part: [2, 1], partial: 5...14)),
        ("BINARY.SIZE[3]", .binarySize(part: [3])),
        ("BINARY.SIZE[]", .binarySize(part: [])),
    ])
    func parsesAndEncodes(_ text: String, _ expected: FetchAttribute) throws {
        #expect(try attributes(text) == [expected])
        let encoded = written { $0.fetchAttribute(expected) }
        #expect(try attributes(encoded) == [expected])
    }

    @Test(arguments: ["BINARY[HEADER]", "BINARY[1.MIME]", "BINARY", "BINARY.SIZE[1]<0.5>", "BINARY[1.]"])
    func refusesWhatIsNotASectionBinary(_ text: String) {
        #expect(throws: IMAPParseError.self) { try attributes(text) }
    }

    @Test func binaryWithoutPeekSetsSeen() {
        #expect(FetchAttribute.binary(peek: false, part: [1], partial: nil).setsSeen)
        #expect(!FetchAttribute.binary(peek: true, part: [1], partial: nil).setsSeen)
        #expect(!FetchAttribute.binarySize(part: [1]).setsSeen)
    }

    @Test func literal8OnlyWhenTheDataHoldsNUL() {
        #expect(written { $0.fetchItem(.binary(part: [1], origin: nil, data: Array("abc".utf8))) } == "BINARY[1] {3}\r\nabc")
        #expect(written { $0.fetchItem(.binary(part: [1], origin: 2, data: [0x61, 0, 0x62])) } == "BINARY[1]<2> ~{3}\r\na\0b")
        #expect(written { $0.fetchItem(.binary(part: [9], origin: nil, data: nil)) } == "BINARY[9] NIL")
        #expect(written { $0.fetchItem(.binarySize(part: [1, 2], size: 42)) } == "BINARY.SIZE[1.2] 42")
    }

    static let mixed = """
        Subject: parts\r
        Content-Type: multipart/mixed; boundary=b\r
        \r
        --b\r
        Content-Type: text/plain\r
        Content-Transfer-Encoding: base64\r
        \r
        aGVsbG8AIHdvcmxk\r
        --b\r
        Content-Type: text/plain\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        caf=C3=A9  \r
        soft=\r
         break=20\r
        --b\r
        Content-Type: text/plain\r
        Content-Transfer-Encoding: x-gzip64\r
        \r
        H4sI\r
        --b--\r

        """

    @Test func decodesBase64AndQuotedPrintableAndRefusesUnknownEncodings() throws {
        let message = MIMEMessage(Array(Self.mixed.utf8))
        #expect(try message.binarySection([1]) == Array("hello\0 world".utf8))
        // Trailing blanks are transport padding (RFC 2045 §6.7 rule 3); "=20" is text.
        #expect(try message.binarySection([2]) == Array("café\r\nsoft break ".utf8))
        #expect(throws: BinaryDecodingError(encoding: "x-gzip64")) { try message.binarySection([3]) }
        #expect(try message.binarySection([4]) == nil)
        #expect(try message.binarySection([]) == message.bytes)
    }

    @Test func appendStoresNULPartsAsBase64() throws {
        let raw = Array("Subject: raw\r\nContent-Transfer-Encoding: binary\r\n\r\n".utf8) + [0, 0x2D, 0xE4, 0x0A, 0x0D, 0x0A, 0x0A]
        let stored = BinaryContentStorage.storable(raw)
        #expect(!stored.contains(0))
        let text = String(decoding: stored, as: UTF8.self)
        #expect(text.contains("Content-Transfer-Encoding: base64\r\n") && !text.contains("binary"))
        let message = MIMEMessage(LineEndings.crlf(stored))
        #expect(try message.binarySection([1]) == [0, 0x2D, 0xE4, 0x0A, 0x0D, 0x0A, 0x0A])
        let plain = Array("Subject: plain\r\n\r\nno NUL here\r\n".utf8)
        #expect(BinaryContentStorage.storable(plain) == plain)
    }

    @Test func sessionAnswersBinaryAndUnknownCTE() async {
        let store = InMemoryMailStore()
        await store.deliver("INBOX", Self.mixed)
        var conversation = Conversation(store: store)
        await conversation.login()
        _ = await conversation.send("s SELECT INBOX\r\n")
        let fetched = await conversation.send("f FETCH 1 (BINARY.SIZE[1] BINARY.PEEK[1]<0.5>)\r\n")
        #expect(fetched == "* 1 FETCH (BINARY.SIZE[1] 12 BINARY[1]<0> {5}\r\nhello)\r\nf OK FETCH completed\r\n")
        let unknown = await conversation.send("u FETCH 1 (BINARY.PEEK[3])\r\n")
        #expect(unknown == "u NO [UNKNOWN-CTE] Unknown Content-Transfer-Encoding x-gzip64\r\n")
        let appended = await conversation.send("a APPEND INBOX ~{9+}\r\nS: x\r\n\r\n\0\r\n")
        #expect(appended.hasSuffix("a OK [APPENDUID 1 2] APPEND completed\r\n"), "\(appended)")
        let stored = await store.boxes["INBOX"]?.messages.last?.bytes ?? []
        #expect(!stored.contains(0))
        let binary = await conversation.send("b FETCH 2 BINARY.PEEK[1]\r\n")
        #expect(binary == "* 2 FETCH (BINARY[1] ~{1}\r\n\0)\r\nb OK FETCH completed\r\n", "\(binary.debugDescription)")
    }
}

/// COMPRESS (RFC 4978 §3) in the session: OK then the edge compresses; never twice.
struct CompressCommandTests {
    @Test func compressDeflateOnceAfterLogin() async {
        let store = InMemoryMailStore()
        var conversation = Conversation(store: store)
        #expect(await conversation.send("c COMPRESS DEFLATE\r\n") == "c BAD Not authenticated\r\n")
        await conversation.login()
        #expect(await conversation.send("k CAPABILITY\r\n").contains(" COMPRESS=DEFLATE"))
        #expect(await conversation.send("x COMPRESS GZIP\r\n") == "x BAD Unknown compression mechanism GZIP\r\n")
        #expect(await conversation.send("c COMPRESS deflate\r\n") == "c OK DEFLATE active\r\n")
        #expect(conversation.actions.last == .startCompression)
        #expect(await conversation.send("d COMPRESS DEFLATE\r\n") == "d NO [COMPRESSIONACTIVE] DEFLATE is already active\r\n")
        #expect(!conversation.actions.contains(.startCompression))
    }

    @Test func framerHandsBackWhatFollowsCompress() throws {
        var framer = IMAPFramer()
        framer.feed(Array("c COMPRESS DEFLATE\r\n".utf8) + [0x01, 0x02, 0x0A, 0x03])
        #expect(try framer.next() == .command(Array("c COMPRESS DEFLATE\r\n".utf8)))
        #expect(framer.takeUnframed() == [0x01, 0x02, 0x0A, 0x03])
        #expect(framer.bufferedByteCount == 0)
        #expect(try framer.next() == .incomplete)
    }
}

/// MULTIAPPEND (RFC 3502) in the grammar and the session.
struct MultiAppendCommandTests {
    @Test func parsesSeveralMessagesAndEncodesThemBack() throws {
        let text = "a APPEND INBOX (\\Seen) {2}\r\nm1 \"01-Jan-2024 10:00:00 +0000\" {2}\r\nm2 ~{2}\r\nm3\r\n"
        guard case .multiAppend(let append) = try IMAPCommandParser.parse(Array(text.utf8)).command else {
            Issue.record("not a MULTIAPPEND"); return
        }
        #expect(append.messages.map(\.message) == [Array("m1".utf8), Array("m2".utf8), Array("m3".utf8)])
        #expect(append.messages[0].flags == [.seen] && append.messages[1].internalDate != nil)
        var writer = IMAPWriter()
        writer.command(TaggedCommand(tag: "a", command: .multiAppend(append)))
        #expect(try IMAPCommandParser.parse(writer.bytes).command == .multiAppend(append))
        // One message stays a plain APPEND.
        guard case .append = try IMAPCommandParser.parse(Array("a APPEND INBOX {2}\r\nm1\r\n".utf8)).command else {
            Issue.record("not an APPEND"); return
        }
    }

    @Test func sessionAnswersWithTheUIDSet() async {
        let store = InMemoryMailStore()
        var conversation = Conversation(store: store)
        await conversation.login()
        let reply = await conversation.send("a APPEND INBOX {8+}\r\nS: 1\r\n\r\n (\\Flagged) {8+}\r\nS: 2\r\n\r\n\r\n")
        #expect(reply == "a OK [APPENDUID 1 1:2] APPEND completed\r\n", "\(reply)")
        #expect(await store.boxes["INBOX"]?.messages.count == 2)
        let missing = await conversation.send("b APPEND Nowhere {8+}\r\nS: 1\r\n\r\n {8+}\r\nS: 2\r\n\r\n\r\n")
        #expect(missing == "b NO [TRYCREATE] Mailbox does not exist\r\n")
        let empty = await conversation.send("c APPEND INBOX {8+}\r\nS: 1\r\n\r\n {0+}\r\n\r\n")
        #expect(empty.hasPrefix("c NO"), "\(empty)")
        #expect(await store.boxes["INBOX"]?.messages.count == 2)
    }
}
