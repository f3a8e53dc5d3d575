import Foundation
import Testing
@testable import FacteurIMAPCore
import FacteurMIME

/// Streamed APPEND (a literal above the streaming threshold): the chunks go to the store's
/// spool as they arrive, and every way out of the command leaves no spool behind.
struct IMAPSessionAppendTests {
    static let body = "Subject: big\n\n" + String(repeating: "0123456789\n", count: 30)

    /// Logged in, INBOX selected, literals above 64 octets streamed in chunks of 50.
    func conversation(_ store: InMemoryMailStore) async -> Conversation {
        var conversation = Conversation(store: store)
        conversation.framer = IMAPFramer(limits: IMAPLimits(streamingLiteralThreshold: 64, literalChunkSize: 50))
        await conversation.login()
        _ = await conversation.send("s SELECT INBOX\r\n")
        return conversation
    }

    @Test func chunksGoToTheSpoolAsTheyArrive() async {
        let store = InMemoryMailStore()
        var conversation = await conversation(store)
        let body = Array(Self.body.utf8)
        #expect(await conversation.send("a APPEND INBOX (\\Flagged) {\(body.count)}\r\n") == "+ Ready for literal\r\n")
        // The first 120 octets: two chunks reach the spool before the literal is complete.
        #expect(await conversation.send(String(decoding: body[..<120], as: UTF8.self)) == "")
        #expect(await store.spoolLog == ["begin INBOX", "write 50", "write 50", "write 20"])
        #expect(await store.openSpools == 1)
        let rest = await conversation.send(String(decoding: body[120...], as: UTF8.self) + "\r\n")
        #expect(rest == "* 1 EXISTS\r\n* 0 RECENT\r\na OK [APPENDUID 1 1] APPEND completed\r\n")
        #expect(await store.spoolLog.last == "finish 1")
        #expect(await store.openSpools == 0)
        let stored = await store.boxes["INBOX"]?.messages.first
        #expect(stored?.bytes == LineEndings.crlf(body))
        #expect(stored?.record.flags == [.flagged])
    }

    @Test func smallLiteralsAreNotSpooled() async {
        let store = InMemoryMailStore()
        var conversation = await conversation(store)
        #expect(await conversation.send("a APPEND INBOX {11+}\r\nSubject: x\n\r\n").hasSuffix("a OK [APPENDUID 1 1] APPEND completed\r\n"))
        #expect(await store.spoolLog == [])
    }

    @Test func badTailAbortsTheSpool() async {
        let store = InMemoryMailStore()
        var conversation = await conversation(store)
        let reply = await conversation.send("a APPEND INBOX {\(Self.body.utf8.count)+}\r\n" + Self.body + " junk\r\n")
        #expect(reply.hasPrefix("a BAD"), "\(reply)")
        #expect(await store.spoolLog.last == "abort")
        #expect(await store.openSpools == 0)
        #expect(await store.boxes["INBOX"]?.messages.isEmpty == true)
        #expect(await conversation.send("b NOOP\r\n") == "b OK NOOP completed\r\n")
    }

    @Test func missingMailboxAfterTheLiteralRemovesTheSpool() async {
        let store = InMemoryMailStore()
        var conversation = await conversation(store)
        // LITERAL+: the octets come before the server can refuse.
        let reply = await conversation.send("a APPEND Nowhere {\(Self.body.utf8.count)+}\r\n" + Self.body + "\r\n")
        #expect(reply == "a NO [TRYCREATE] Mailbox does not exist\r\n")
        #expect(await store.spoolLog.last == "finish failed")
        #expect(await store.openSpools == 0)
    }

    @Test func spoolRefusedAtTheStart() async {
        let store = InMemoryMailStore()
        await store.failSpools(begin: .overQuota)
        var conversation = await conversation(store)
        #expect(await conversation.send("a APPEND INBOX {\(Self.body.utf8.count)}\r\n") == "a NO [OVERQUOTA] Quota exceeded\r\n")
        #expect(conversation.actions.last == .abandonStreamedLiteral)
        // LITERAL+: the literal is read and dropped; the NO comes after it.
        #expect(await conversation.send("b APPEND INBOX {\(Self.body.utf8.count)+}\r\n" + Self.body + "\r\n")
                == "b NO [OVERQUOTA] Quota exceeded\r\n")
        #expect(await store.openSpools == 0)
        #expect(await conversation.send("c NOOP\r\n") == "c OK NOOP completed\r\n")
    }

    @Test func writeFailureMidLiteralAbortsAndRefusesAtTheEnd() async {
        let store = InMemoryMailStore()
        var conversation = await conversation(store)
        #expect(await conversation.send("a APPEND INBOX {\(Self.body.utf8.count)}\r\n") == "+ Ready for literal\r\n")
        #expect(await conversation.send(String(Self.body.prefix(60))) == "")
        await store.failSpools(write: .refused("Disk full"))
        #expect(await conversation.send(String(Self.body.dropFirst(60)) + "\r\n") == "a NO [CANNOT] Disk full\r\n")
        #expect(await store.spoolLog == ["begin INBOX", "write 50", "write 10", "abort"])
        #expect(await store.openSpools == 0)
        #expect(await store.boxes["INBOX"]?.messages.isEmpty == true)
    }

    @Test func connectionClosedMidLiteralAbortsTheSpool() async {
        let store = InMemoryMailStore()
        var conversation = await conversation(store)
        #expect(await conversation.send("a APPEND INBOX {\(Self.body.utf8.count)}\r\n") == "+ Ready for literal\r\n")
        #expect(await conversation.send(String(Self.body.prefix(100))) == "")
        #expect(await store.openSpools == 1)
        await conversation.session.connectionClosed()
        #expect(await store.openSpools == 0)
        #expect(await store.spoolLog.last == "abort")
        #expect(conversation.session.phase == .logout)
    }

    @Test func framingErrorInTheTailAbortsTheSpool() async {
        let store = InMemoryMailStore()
        var conversation = await conversation(store)
        // MULTIAPPEND-style second literal, above the APPEND limit: the framer refuses the tail.
        let reply = await conversation.send("a APPEND INBOX {\(Self.body.utf8.count)+}\r\n" + Self.body + " {999999999999}\r\n")
        #expect(reply.hasPrefix("* BAD Literal size exceeds"), "\(reply)")
        #expect(await store.openSpools == 0)
        #expect(await store.spoolLog.last == "abort")
        #expect(await conversation.send("b NOOP\r\n") == "b OK NOOP completed\r\n")
    }
}

extension InMemoryMailStore {
    func failSpools(begin: IMAPStoreError? = nil, write: IMAPStoreError? = nil) {
        spoolFailure = begin
        writeFailure = write
    }
}
