import FacteurCore
import FacteurIMAPCore
import FacteurMailStore
@testable import FacteurServer
import FacteurStore
import Foundation
import NIOPosix
import Testing

/// The IMAP edge's pure pieces and the store adapter over a real `MailStore` (FacteurServer has
/// no unit-test target yet, so they live here).
struct IMAPEdgeUnitTests {
    // MARK: Command tracker

    struct VerbCase: Sendable, CustomStringConvertible {
        var line: String
        var tag: String?
        var verb: String?
        var description: String { line }
    }

    static let verbs: [VerbCase] = [
        .init(line: "a1 LOGIN alice secret\r\n", tag: "a1", verb: "LOGIN"),
        .init(line: "a2 uid fetch 1:* (FLAGS)\r\n", tag: "a2", verb: "UID FETCH"),
        .init(line: "A003 SELECT INBOX\n", tag: "A003", verb: "SELECT"),
        .init(line: "DONE\r\n", tag: nil, verb: nil),
        .init(line: "dGVzdAB0ZXN0AHRlc3Q=\r\n", tag: nil, verb: nil),
        .init(line: "a+ NOOP\r\n", tag: nil, verb: nil),
        .init(line: "a4 X-CMD1\r\n", tag: nil, verb: nil),
        .init(line: "", tag: nil, verb: nil),
    ]

    @Test(arguments: verbs) func tagAndVerb(_ c: VerbCase) {
        let r = IMAPCommandTracker.tagAndVerb(Array(c.line.utf8))
        #expect(r?.tag == c.tag)
        #expect(r?.verb == c.verb)
    }

    @Test func trackerMatchesCompletionsAndCountsBAD() {
        var t = IMAPCommandTracker()
        t.commandReceived(Array("a1 LOGIN alice pw\r\n".utf8))
        t.commandReceived(Array("a2 NOOP\r\n".utf8))
        #expect(t.responseSent(Array("* CAPABILITY IMAP4rev1\r\n".utf8)) == nil)
        #expect(t.responseSent(Array("* 1 FETCH (BODY[] {9}\r\na1 OK hi)\r\na2 NO [X] nope\r\n".utf8)) == .init(verb: "NOOP", status: .no))
        #expect(t.responseSent(Array("a1 OK [CAPABILITY IMAP4rev1] Logged in\r\n".utf8)) == .init(verb: "LOGIN", status: .ok))
        #expect(t.responseSent(Array("a1 OK again\r\n".utf8)) == nil)
        #expect(t.responseSent(Array("* BAD Invalid tag\r\n".utf8)) == nil)
        #expect(t.badCount == 1)
        t.commandReceived(Array("a3 FROB\r\n".utf8))
        #expect(t.responseSent(Array("a3 BAD Unknown command\r\n".utf8)) == .init(verb: "FROB", status: .bad))
        #expect(t.badCount == 2)
        #expect(t.responseSent(Array("no line end".utf8)) == nil)
    }

    // MARK: Plaintext policy

    @Test func plaintextPolicy() {
        let p = PlaintextPolicy(networks: ["192.168.1.0/24", "2001:db8::/32", "bogus"])
        #expect(p.invalidEntries == ["bogus"])
        #expect(p.allowsPlaintext(from: "127.0.0.1") && p.allowsPlaintext(from: "::1"))
        #expect(!p.allowsPlaintext(from: "127.0.0.5"))
        #expect(p.allowsPlaintext(from: "192.168.1.77") && !p.allowsPlaintext(from: "192.168.2.1"))
        #expect(p.allowsPlaintext(from: "2001:db8::7") && !p.allowsPlaintext(from: "2001:db9::7"))
        #expect(!p.allowsPlaintext(from: "?"))
    }

    // MARK: Conversions

    @Test func namesAndFlags() throws {
        #expect(try IMAPStoreConversions.storeName(IMAPMailboxName(wire: "inbox")) == "INBOX")
        #expect(try IMAPStoreConversions.storeName(IMAPMailboxName(wire: "&AMk-t&AOk-/Plage")) == "Été/Plage")
        #expect(throws: IMAPStoreError.self) { try IMAPStoreConversions.storeName(IMAPMailboxName(wire: "&Jjo")) }
        #expect(IMAPStoreConversions.wireName("Été/Plage").wire == "&AMk-t&AOk-/Plage")
        #expect(IMAPStoreConversions.wireName("INBOX") == .inbox)
        let (system, keywords) = IMAPStoreConversions.storeFlags([.seen, .recent, Flag("\\Unknown"), Flag("$Work"), .deleted])
        #expect(system == [.seen, .deleted])
        #expect(keywords == ["$Work"])
        #expect(IMAPStoreConversions.flags([.answered, .draft], ["Junk"]) == [.answered, .draft, Flag("Junk")])
        #expect(IMAPStoreConversions.imapError(.noSuchMailbox("x")) == .nonexistent)
        #expect(IMAPStoreConversions.imapError(.io("x", errno: 5)) == nil)
    }

    /// The shared message tables take the store's flag bits as they are.
    @Test func messageTableFlagBitsFollowTheStore() {
        let pairs: [(MessageFlags, Flag)] = [(.seen, .seen), (.answered, .answered), (.flagged, .flagged),
                                             (.deleted, .deleted), (.draft, .draft)]
        for (stored, flag) in pairs {
            var table = MessageTable()
            table.append(uid: 1, system: IMAPMessageTableCache.systemFlags(stored), keywords: [],
                         internalDate: Date(), size: 1)
            #expect(table.flags(at: 0) == [flag])
        }
    }

    /// Two sessions on one mailbox get the same table (one storage), before and after a change.
    @Test func sessionsShareOneMessageTable() async throws {
        try await withMailStore { store, pool, _ in
            for i in 0..<3 { try store.append(owner: "alice@example.test", mailbox: "INBOX", source: .bytes(Array("Subject: \(i)\r\n\r\nx\r\n".utf8))) }
            let tables = IMAPMessageTableCache()
            let a = IMAPStoreAdapter(owner: "alice@example.test", store: store, pool: pool, hub: EventHub(), tables: tables)
            let b = IMAPStoreAdapter(owner: "alice@example.test", store: store, pool: pool, hub: EventHub(), tables: tables)
            func storage(_ s: IMAPMailboxSnapshot) -> UnsafeRawPointer? { s.messages.uids.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) } }
            let first = try await a.select(.inbox, readOnly: false)
            let second = try await b.select(.inbox, readOnly: true)
            #expect(first.messages.count == 3 && storage(first) == storage(second))
            _ = try await a.storeFlags(.inbox, uids: [1], flags: [.seen], mode: .add)
            let changedB = try await b.snapshot(.inbox)
            let changedA = try await a.snapshot(.inbox)
            #expect(changedB.messages[0].flags == [.seen] && changedB.messages[0].size == first.messages[0].size)
            // The new table is the old one patched: its UIDs still share storage with the first
            // snapshot, whose flags did not change under it (copy-on-write).
            #expect(storage(changedA) == storage(changedB) && storage(changedA) == storage(first))
            #expect(first.messages[0].flags == [] && changedA.messages[0].flags == [.seen])
        }
    }

    /// After flag changes and an expunge the cached table is patched, not rebuilt: INTERNALDATE
    /// and size kept, flags and mod-sequences (RFC 7162) those of the store, VANISHED exact.
    @Test func tableIsPatchedAfterFlagChangesAndExpunges() async throws {
        try await withMailStore { store, pool, _ in
            for i in 0..<4 { try store.append(owner: "alice@example.test", mailbox: "INBOX", source: .bytes(Array("Subject: \(i)\r\n\r\n\(i)x\r\n".utf8))) }
            let a = IMAPStoreAdapter(owner: "alice@example.test", store: store, pool: pool, hub: EventHub(), tables: IMAPMessageTableCache())
            let first = try await a.select(.inbox, readOnly: false)
            _ = try await a.storeFlags(.inbox, uids: [2], flags: [.deleted], mode: .add)
            let stored = try await a.storeFlags(.inbox, uids: [3, 4], flags: [.flagged], mode: .add, unchangedSince: first.messages[3].modSeq - 1)
            #expect(stored.modified == [4] && stored.flags == [3: [.flagged]])
            #expect(try await a.expunge(.inbox, uids: nil) == [2])
            let snap = try await a.snapshot(.inbox)
            #expect(snap.messages.uids == [1, 3, 4])
            #expect(snap.messages[1].flags == [.flagged] && snap.messages[1].size == first.messages[2].size)
            #expect(snap.messages[1].modSeq == stored.modSeqs[3] && snap.messages[1].modSeq > first.highestModSeq)
            #expect(snap.messages[0].modSeq == first.messages[0].modSeq && snap.messages[2].modSeq == first.messages[3].modSeq)
            #expect(snap.highestModSeq == (try await a.status(.inbox)).highestModSeq)
            #expect(try await a.vanished(.inbox, since: first.highestModSeq) == [2])
        }
    }

    /// A first load of a large mailbox takes INTERNALDATE and size from one scan of the
    /// mailbox (more than `wholeScanThreshold` unknown messages) and gets them all right;
    /// later tables reuse them and look up only new messages.
    @Test func firstLoadOfALargeMailboxHasEveryDateAndSize() async throws {
        try await withMailStore { store, pool, _ in
            let count = IMAPMessageTableCache.wholeScanThreshold + 50
            for i in 0..<count {
                try store.append(owner: "alice@example.test", mailbox: "INBOX",
                                 source: .bytes(Array("Subject: \(i)\r\n\r\n\(String(repeating: "x", count: i))\r\n".utf8)),
                                 internalDate: Date(timeIntervalSince1970: 1_700_000_000 + Double(i)))
            }
            let tables = IMAPMessageTableCache()
            let a = IMAPStoreAdapter(owner: "alice@example.test", store: store, pool: pool, hub: EventHub(), tables: tables)
            let first = try await a.select(.inbox, readOnly: false)
            #expect(first.messages.count == count)
            for (i, m) in first.messages.enumerated() {
                #expect(m.internalDate == Date(timeIntervalSince1970: 1_700_000_000 + Double(i)))
                #expect(m.size == "Subject: \(i)\r\n\r\n".utf8.count + i + 2)
            }
            try store.append(owner: "alice@example.test", mailbox: "INBOX", source: .bytes(Array("Subject: new\r\n\r\nx\r\n".utf8)),
                             internalDate: Date(timeIntervalSince1970: 1_800_000_000))
            let later = try await a.snapshot(.inbox)
            #expect(later.messages.count == count + 1)
            #expect(later.messages[count].internalDate == Date(timeIntervalSince1970: 1_800_000_000))
            #expect(later.messages[0].size == first.messages[0].size)
        }
    }

    @Test func ownerForUserName() {
        #expect(IMAPUserAuthenticator.owner(for: "Alice", defaultDomain: "example.test") == "alice@example.test")
        #expect(IMAPUserAuthenticator.owner(for: "Bob@Other.Test", defaultDomain: "example.test") == "bob@other.test")
        #expect(IMAPUserAuthenticator.printable("eve\r\n* fake log line\u{7F}") == "eve??* fake log line?")
        #expect(IMAPUserAuthenticator.printable(String(repeating: "é", count: 400)).count == IMAPServerLimits.maxUserNameBytes)
        #expect(LoginDigest.digest("a") == LoginDigest.digest("a"))
        #expect(LoginDigest.digest("a") != LoginDigest.digest("b"))
        #expect(LoginDigest.digest("a").count == 16)
    }

    // MARK: Store adapter over a real MailStore

    @Test func adapterOverMailStore() async throws {
        try await withMailStore { store, pool, dir in
            try await exerciseAdapter(IMAPStoreAdapter(owner: "alice@example.test", store: store, pool: pool, hub: EventHub(),
                                                       tables: IMAPMessageTableCache()),
                                      store: store, dir: dir)
        }
    }

    /// A MailStore in a temporary folder with alice's folders, and a started I/O pool.
    func withMailStore(_ body: (MailStore, NIOThreadPool, String) async throws -> Void) async throws {
        let dir = NSTemporaryDirectory() + "facteur-imap-adapter-" + UUID().uuidString.prefix(8)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = try FacteurDatabase(path: dir + "/facteur.sqlite")
        let store = MailStore(pool: db.pool, mailRoot: dir + "/mail")
        try store.ensureUser("alice@example.test")
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        do {
            try await body(store, pool, dir)
        } catch {
            Issue.record(error)
        }
        try await pool.shutdownGracefully()
    }

    func exerciseAdapter(_ a: IMAPStoreAdapter, store: MailStore, dir: String) async throws {

        let names = try await a.mailboxes().map(\.name.wire)
        #expect(names == ["INBOX", "Archive", "Drafts", "Junk", "Sent", "Trash"])
        #expect(try await a.mailboxes().first { $0.name.wire == "Sent" }?.attributes == ["\\Sent"])

        let ete = IMAPMailboxName(displayName: "Été")
        try await a.create(ete)
        #expect(FileManager.default.fileExists(atPath: dir + "/mail/example.test/alice/.Été/cur"))
        await #expect(throws: IMAPStoreError.alreadyExists) { try await a.create(ete) }
        await #expect(throws: IMAPStoreError.self) { try await a.create(IMAPMailboxName(wire: "a/../b")) }
        await #expect(throws: IMAPStoreError.nonexistent) { try await a.select(IMAPMailboxName(wire: "Nope"), readOnly: false) }

        let appended = try await a.append(.inbox, message: Array("Subject: x\n\nbody\n".utf8), flags: [.seen, Flag("$Work")],
                                          internalDate: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(appended.uid == 1)
        let snap = try await a.select(.inbox, readOnly: false)
        #expect(snap.messages.count == 1 && snap.recent == [1])
        #expect(snap.messages[0].flags == [.seen, Flag("$Work")])
        #expect(snap.messages[0].size == "Subject: x\r\n\r\nbody\r\n".utf8.count)
        #expect(snap.messages[0].internalDate == Date(timeIntervalSince1970: 1_700_000_000))
        #expect(try await a.messageBytes(.inbox, uid: 1) == Array("Subject: x\r\n\r\nbody\r\n".utf8))

        // Another writer adds a message: the next snapshot sees it, claiming \Recent.
        _ = try store.append(owner: "alice@example.test", mailbox: "INBOX", source: .bytes(Array("Subject: y\r\n\r\n".utf8)))
        let later = try await a.snapshot(.inbox)
        #expect(later.messages.map(\.uid) == [1, 2] && later.recent == [2])

        let flags = try await a.storeFlags(.inbox, uids: [1, 2], flags: [.flagged], mode: .add)
        #expect(flags[2] == [.flagged] && flags[1]?.contains(.flagged) == true)
        let copied = try await a.copy(.inbox, uids: [1, 2], to: ete)
        #expect(copied.sourceUIDs == [1, 2] && copied.destinationUIDs == [1, 2])
        let moved = try await a.move(.inbox, uids: [2], to: IMAPMailboxName(wire: "Trash"))
        #expect(moved.destinationUIDs == [1])
        _ = try await a.storeFlags(.inbox, uids: [1], flags: [.deleted], mode: .add)
        #expect(try await a.expunge(.inbox, uids: [1]) == [1])
        #expect(try await a.snapshot(.inbox).messages.isEmpty)
        #expect(try await a.status(ete).messages == 2)
        try await a.rename(ete, to: IMAPMailboxName(wire: "Old/Summer"))
        #expect(try await a.mailboxes().contains { $0.name.wire == "Old/Summer" })
        try await a.delete(IMAPMailboxName(wire: "Old/Summer"))
        await #expect(throws: IMAPStoreError.self) { try await a.delete(.inbox) }
    }
}
