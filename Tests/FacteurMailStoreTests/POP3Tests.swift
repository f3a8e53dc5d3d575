import Foundation
import Testing
@testable import FacteurMailStore

@Suite struct POP3Tests {
    let alice = "alice@example.test"

    @Test func maildropAgreesWithIMAP() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let names = try (0..<3).map { try f.deliver(seconds: 1_795_933_936 + $0) }
        let drop = try f.store.pop3Maildrop(owner: alice)
        #expect(drop.map(\.uniqueID) == names.map { MaildirFilename($0).base })
        #expect(drop.map(\.uid) == [1, 2, 3])
        #expect(drop.allSatisfy { $0.size == Int64(Fixture.message("hi").count) })
        #expect(f.files("new").count == 3)                     // listing changes nothing
        // IMAP changes flags and moves files; the unique-ids do not change.
        _ = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: false)
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: .seen)
        let after = try f.store.pop3Maildrop(owner: alice)
        #expect(after.map(\.uniqueID) == drop.map(\.uniqueID))
        // The paths come with the listing and follow the files IMAP moved (new/ to cur/, flags).
        #expect(drop.allSatisfy { $0.path.contains("/new/") })
        #expect(after.allSatisfy { FileManager.default.fileExists(atPath: $0.path) && $0.path.contains("/cur/") }, "\(after.map(\.path))")
        #expect(try f.store.messagePath(owner: alice, mailbox: "INBOX", uid: drop[0].uid) != nil)
    }

    @Test func deletionsAreSharedBothWays() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        for i in 0..<3 { try f.deliver(seconds: 1_795_933_936 + i) }
        let drop = try f.store.pop3Maildrop(owner: alice)
        let log = EventLog()
        let sub = f.store.changes.subscribe(owner: alice, mailbox: "INBOX") { _, e in log.record(e) }
        defer { f.store.changes.unsubscribe(sub) }
        #expect(try f.store.pop3Delete(owner: alice, uniqueIDs: [drop[1].uniqueID, "no-such-id"]) == 1)
        #expect(log.expunged == [2])
        #expect(try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true).messages.map(\.uid) == [1, 3])
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [3], operation: .add, flags: .deleted)
        try f.store.expunge(owner: alice, mailbox: "INBOX")
        #expect(try f.store.pop3Maildrop(owner: alice).map(\.uniqueID) == [drop[0].uniqueID])
    }

    @Test func uniqueIDsStayWithinRFC1939() {
        let long = String(repeating: "x", count: 71)
        let id = MailStore.pop3UniqueID(base: long)
        #expect(id.count == 17 && id.hasPrefix("X"))
        #expect(id == MailStore.pop3UniqueID(base: long))
        #expect(MailStore.pop3UniqueID(base: "with space") != "with space")
        #expect(MailStore.pop3UniqueID(base: "1795933936.M1P2Q3R4.host,S=249") == "1795933936.M1P2Q3R4.host,S=249")
    }
}
