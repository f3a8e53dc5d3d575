import Foundation
import Testing
@testable import FacteurMailStore

@Suite struct AppendTests {
    let alice = "alice@example.test"

    @Test func appendIsDurableAndIndexed() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let date = Date(timeIntervalSince1970: 1_700_000_123)
        let bytes = Fixture.message("appended")
        let r = try f.store.append(owner: alice, mailbox: "Sent", source: .bytes(bytes), flags: [.seen], keywords: ["$MDNSent"],
                                   internalDate: date)
        #expect(r.uid == 1)
        #expect(r.uidValidity == (try f.store.status(owner: alice, mailbox: "Sent")).uidValidity)
        let info = try #require(try f.store.messageInfo(owner: alice, mailbox: "Sent", uid: 1))
        #expect(info.size == Int64(bytes.count) && info.internalDate == date && info.flags == .seen && info.keywords == ["$MDNSent"])
        #expect(info.path.hasSuffix(",S=\(bytes.count):2,Sa") && info.path.contains("/.Sent/cur/1700000123.M"))
        #expect(FileManager.default.contents(atPath: info.path) == Data(bytes))
        #expect(f.files("tmp", folder: "Sent").isEmpty)
        // The INTERNALDATE survives a lost index (it is the name's time).
        try f.loseDatabase()
        #expect(throws: MailStoreError.noSuchMailbox("Sent")) { try f.store.messageInfo(owner: alice, mailbox: "Sent", uid: 1) }
        _ = try f.store.select(owner: alice, mailbox: "Sent", readOnly: true)
        #expect(try f.store.messageInfo(owner: alice, mailbox: "Sent", uid: 1)?.internalDate == date)
    }

    @Test func appendFromAFileAndDefaultDate() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let spool = f.dir + "/literal"
        let big = [UInt8](repeating: 0x41, count: MailStoreLimits.copyChunk * 2 + 17)
        try Data(big).write(to: URL(fileURLWithPath: spool))
        let r = try f.store.append(owner: alice, mailbox: "INBOX", source: .file(path: spool))
        let info = try #require(try f.store.messageInfo(owner: alice, mailbox: "INBOX", uid: r.uid))
        #expect(info.size == Int64(big.count) && info.internalDate == f.clock.now)
        #expect(FileManager.default.contents(atPath: info.path) == Data(big))
        #expect(FileManager.default.fileExists(atPath: spool))
        #expect(try f.store.select(owner: alice, mailbox: "INBOX", readOnly: false).recent == [r.uid])
    }

    static func fill(_ spool: AppendSpool, _ bytes: [UInt8]) throws {
        let failure: MailStoreError? = bytes.withUnsafeBytes { buffer in
            do throws(MailStoreError) { try spool.write(buffer); return nil } catch { return error }
        }
        if let failure { throw failure }
    }

    /// A spool (a streamed IMAP literal) is renamed into cur/, or removed when the append fails.
    @Test func appendFromASpool() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let bytes = Fixture.message("spooled")
        let spool = try f.store.openAppendSpool(owner: alice)
        try Self.fill(spool, bytes)
        #expect(f.files("tmp").count == 1 && spool.size == bytes.count)
        let r = try f.store.append(owner: alice, mailbox: "Sent", source: .spool(spool), flags: [.seen])
        let info = try #require(try f.store.messageInfo(owner: alice, mailbox: "Sent", uid: r.uid))
        #expect(info.size == Int64(bytes.count) && info.internalDate == f.clock.now && info.flags == .seen)
        #expect(FileManager.default.contents(atPath: info.path) == Data(bytes))
        #expect(f.files("tmp").isEmpty)

        let refused = try f.store.openAppendSpool(owner: alice)
        try Self.fill(refused, bytes)
        #expect(throws: MailStoreError.noSuchMailbox("Nope")) {
            try f.store.append(owner: alice, mailbox: "Nope", source: .spool(refused))
        }
        #expect(f.files("tmp").isEmpty)
        // A spool of another process (a crash mid-literal) is removed when the owner is prepared.
        let stale = f.maildir(alice, nil) + "/tmp/" + MailStore.appendSpoolPrefix + "P999999999-x"
        _ = FileManager.default.createFile(atPath: stale, contents: Data(bytes))
        try f.store.ensureUser(alice)
        #expect(f.files("tmp").isEmpty)
    }

    @Test func appendToMissingMailboxOrMissingFileFails() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        #expect(throws: MailStoreError.noSuchMailbox("Nope")) {
            try f.store.append(owner: alice, mailbox: "Nope", source: .bytes([1]))
        }
        #expect(throws: MailStoreError.self) {
            try f.store.append(owner: alice, mailbox: "INBOX", source: .file(path: f.dir + "/missing"))
        }
        #expect(f.files("tmp").isEmpty && f.files("cur").isEmpty)
        #expect(try f.store.status(owner: alice, mailbox: "INBOX").uidNext == 1)
    }

    @Test func copyLinksAndKeepsFlags() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        for i in 0..<3 { try f.deliver(seconds: 1_795_933_936 + i) }
        _ = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: false)
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [2], operation: .add, flags: .flagged, keywords: ["Work"])
        try f.store.append(owner: alice, mailbox: "Archive", source: .bytes([0x41]))
        let r = try f.store.copy(owner: alice, from: "INBOX", uids: [3, 2, 42], to: "Archive")
        #expect(r.mapping.map(\.0) == [2, 3] && r.mapping.map(\.1) == [2, 3])
        #expect(r.uidValidity == (try f.store.status(owner: alice, mailbox: "Archive")).uidValidity)
        let archived = try f.store.select(owner: alice, mailbox: "Archive", readOnly: false)
        #expect(archived.messages.map(\.uid) == [1, 2, 3])
        #expect(archived.messages[1] == MessageState(uid: 2, flags: .flagged, keywords: ["Work"]))
        #expect(archived.recent == [1, 2, 3])
        #expect(try f.store.status(owner: alice, mailbox: "INBOX").messages == 3)
        let src = try #require(try f.store.messagePath(owner: alice, mailbox: "INBOX", uid: 2))
        let dst = try #require(try f.store.messagePath(owner: alice, mailbox: "Archive", uid: 2))
        #expect(src != dst && FileManager.default.contents(atPath: src) == FileManager.default.contents(atPath: dst))
        // Copies are independent: flagging one does not flag the other.
        try f.store.storeFlags(owner: alice, mailbox: "Archive", uids: [2], operation: .add, flags: .seen)
        #expect(try f.store.messageStates(owner: alice, mailbox: "INBOX")[1].flags == .flagged)
    }

    @Test func moveRenamesAndExpungesTheSource() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        for i in 0..<3 { try f.deliver(seconds: 1_795_933_936 + i) }
        try f.store.sync(owner: alice, mailbox: "INBOX")           // still in new/
        let log = EventLog()
        let sub = f.store.changes.subscribe(owner: alice, mailbox: "INBOX") { _, e in log.record(e) }
        defer { f.store.changes.unsubscribe(sub) }
        let bases = try f.store.messageInfos(owner: alice, mailbox: "INBOX", uids: [1, 3]).map(\.base)
        let r = try f.store.move(owner: alice, from: "INBOX", uids: [1, 3], to: "Trash")
        #expect(r.mapping.map(\.0) == [1, 3] && r.mapping.map(\.1) == [1, 2])
        #expect(log.expunged == [1, 3])
        #expect(try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true).messages.map(\.uid) == [2])
        #expect(try f.store.messageInfos(owner: alice, mailbox: "Trash", uids: [1, 2]).map(\.base) == bases)
        #expect(f.files("cur", folder: "Trash").count == 2 && f.files("new").count == 1)
        // Moving into the same mailbox gives new UIDs.
        let same = try f.store.move(owner: alice, from: "Trash", uids: [1], to: "Trash")
        #expect(same.mapping.map(\.1) == [3])
        #expect(try f.store.select(owner: alice, mailbox: "Trash", readOnly: true).messages.map(\.uid) == [2, 3])
        #expect(f.files("cur", folder: "Trash").count == 2)
    }

    @Test func concurrentAppendsGetDistinctUIDs() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let store = f.store
        DispatchQueue.concurrentPerform(iterations: 40) { i in
            _ = try? store.append(owner: alice, mailbox: i % 2 == 0 ? "INBOX" : "Drafts", source: .bytes(Fixture.message("\(i)")))
        }
        let inbox = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true)
        let drafts = try f.store.select(owner: alice, mailbox: "Drafts", readOnly: true)
        #expect(inbox.messages.map(\.uid) == Array(1...20))
        #expect(drafts.messages.map(\.uid) == Array(1...20))
    }
}
