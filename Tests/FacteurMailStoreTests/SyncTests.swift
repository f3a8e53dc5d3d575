import Foundation
import Testing
@testable import FacteurMailStore

@Suite struct SyncTests {
    let alice = "alice@example.test"

    @Test func deliveredFilesGetUIDsInDeliveryOrder() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        // Written out of order; micros 99 < 100000 although "M99" > "M100000" as text.
        let c = try f.deliver(seconds: 1_795_933_937, micros: 5)
        let b = try f.deliver(seconds: 1_795_933_936, micros: 100_000)
        let a = try f.deliver(seconds: 1_795_933_936, micros: 99)
        try f.store.sync(owner: alice, mailbox: "INBOX")
        let infos = try f.store.messageInfos(owner: alice, mailbox: "INBOX", uids: [1, 2, 3])
        #expect(infos.map(\.base) == [a, b, c].map { MaildirFilename($0).base })
        #expect(infos.map(\.uid) == [1, 2, 3])
        #expect(infos[0].size == Int64(Fixture.message("hi").count))
        #expect(infos[2].internalDate == Date(timeIntervalSince1970: 1_795_933_937.000005))
        let status = try f.store.status(owner: alice, mailbox: "INBOX")
        #expect(status.messages == 3 && status.recent == 3 && status.unseen == 3 && status.uidNext == 4)
    }

    @Test func filesWithoutSizeOrTimeInTheNameAreStatted() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let name = "mutt-host-1234-5"
        let dir = f.maildir()
        try Data("Subject: x\r\n\r\nbody\r\n".utf8).write(to: URL(fileURLWithPath: dir + "/cur/" + name + ":2,S"))
        MaildirIO.setPathMtime(dir + "/cur/" + name + ":2,S", Date(timeIntervalSince1970: 1_600_000_000))
        try f.deliver(sizeInName: false)
        let snap = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true)
        #expect(snap.count == 2)
        let first = try #require(try f.store.messageInfo(owner: alice, mailbox: "INBOX", uid: 1))
        #expect(first.base == name)                 // older mtime sorts first
        #expect(first.size == 20)
        #expect(first.flags == .seen)
        #expect(first.internalDate == Date(timeIntervalSince1970: 1_600_000_000))
        #expect(try f.store.messageInfo(owner: alice, mailbox: "INBOX", uid: 2)?.size == Int64(Fixture.message("hi").count))
    }

    @Test func restartKeepsUIDsValidityAndFlags() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        for i in 0..<3 { try f.deliver(seconds: 1_795_933_936 + i) }
        let first = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: false)
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [2], operation: .add, flags: [.flagged], keywords: ["$Work"])
        try f.reopen()
        let again = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: false)
        #expect(again.uidValidity == first.uidValidity)
        #expect(again.uidNext == 4)
        #expect(again.messages.map(\.uid) == [1, 2, 3])
        #expect(again.messages[1] == MessageState(uid: 2, flags: .flagged, keywords: ["$Work"]))
        #expect(again.recent.isEmpty)            // claimed by the first session
        #expect(first.recent == [1, 2, 3])
    }

    @Test func lostDatabaseIsRebuiltWithFlagsFromFileNames() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        for i in 0..<4 { try f.deliver(seconds: 1_795_933_936 + i) }
        let before = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: false)
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1, 3], operation: .add, flags: [.seen, .answered])
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [4], operation: .add, flags: [.deleted, .draft])
        try f.store.createMailbox(owner: alice, name: "Work/Projects")
        try f.loseDatabase()
        let after = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true)
        #expect(after.uidValidity > before.uidValidity)      // UIDs were reassigned: clients must resync
        #expect(after.messages.map(\.flags) == [[.seen, .answered], [], [.seen, .answered], [.deleted, .draft]])
        #expect(after.firstUnseen == 2)
        let names = try f.store.listMailboxes(owner: alice).map(\.name)
        #expect(names.contains("Work/Projects") && names.contains("Sent"))
    }

    @Test func renameByAnotherToolIsPickedUp() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        try f.deliver()
        try f.deliver()
        _ = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: false)
        let log = EventLog()
        let sub = f.store.changes.subscribe(owner: alice, mailbox: "INBOX") { _, e in log.record(e) }
        defer { f.store.changes.unsubscribe(sub) }
        let cur = f.maildir() + "/cur/"
        let name = try #require(f.files("cur").first)
        // mutt marks it read and flagged
        try FileManager.default.moveItem(atPath: cur + name, toPath: cur + MaildirFilename(name).base + ":2,FS")
        try f.store.sync(owner: alice, mailbox: "INBOX")
        let snap = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true)
        #expect(snap.messages[0].flags == [.flagged, .seen])
        #expect(snap.messages[1].flags == [])
        #expect(log.flagChanges == [MessageState(uid: 1, flags: [.flagged, .seen])])
        #expect(log.added.isEmpty && log.expunged.isEmpty)
    }

    @Test func externalRemovalIsAnExpungeAndUIDsAreNeverReused() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        for i in 0..<3 { try f.deliver(seconds: 1_795_933_936 + i) }
        try f.store.sync(owner: alice, mailbox: "INBOX")
        let log = EventLog()
        let sub = f.store.changes.subscribe(owner: alice, mailbox: "INBOX") { _, e in log.record(e) }
        defer { f.store.changes.unsubscribe(sub) }
        let newest = f.files("new").sorted().last.map { f.maildir() + "/new/" + $0 }
        try FileManager.default.removeItem(atPath: try #require(newest))
        // Right after the change the listing might be incomplete (a rename in progress):
        // nothing is expunged yet.
        try f.store.sync(owner: alice, mailbox: "INBOX")
        #expect(log.expunged.isEmpty)
        f.ageDirectories()        // … a moment later
        try f.store.sync(owner: alice, mailbox: "INBOX")
        #expect(log.expunged == [3])
        try f.deliver(seconds: 1_795_940_000)
        try f.store.sync(owner: alice, mailbox: "INBOX")
        #expect(log.added == [4])
        try f.reopen()
        let snap = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true)
        #expect(snap.messages.map(\.uid) == [1, 2, 4])
        #expect(snap.uidNext == 5)
    }

    @Test func unchangedDirectoriesAreNotListed() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        try f.deliver()
        f.ageDirectories()
        try f.store.sync(owner: alice, mailbox: "INBOX")
        #expect(try f.store.status(owner: alice, mailbox: "INBOX").messages == 1)
        // A file appears but the directory mtime is put back: the shortcut does not look.
        try f.deliver()
        f.ageDirectories()
        try f.store.sync(owner: alice, mailbox: "INBOX")
        #expect(try f.store.status(owner: alice, mailbox: "INBOX").messages == 1)
        // Any real change of the mtime is noticed.
        try f.deliver()
        try f.store.sync(owner: alice, mailbox: "INBOX")
        #expect(try f.store.status(owner: alice, mailbox: "INBOX").messages == 3)
    }

    @Test func recentDirectoryTimesAreNotTrusted() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        try f.deliver()
        try f.store.sync(owner: alice, mailbox: "INBOX")
        let stored = try f.store.pool.read { db in try MailboxRow.fetch(db, owner: alice, name: "INBOX") }
        #expect(stored?.newMtime == 0)     // the directory changed just now
        f.ageDirectories()
        try f.store.sync(owner: alice, mailbox: "INBOX")
        let later = try f.store.pool.read { db in try MailboxRow.fetch(db, owner: alice, name: "INBOX") }
        #expect(later?.newMtime != 0 && later?.curMtime != 0)
    }

    @Test func fileMovedFromNewToCurByAnotherToolKeepsItsUID() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let name = try f.deliver()
        try f.store.sync(owner: alice, mailbox: "INBOX")
        try FileManager.default.moveItem(atPath: f.maildir() + "/new/" + name, toPath: f.maildir() + "/cur/" + name + ":2,S")
        let snap = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true)
        #expect(snap.messages == [MessageState(uid: 1, flags: .seen)])
        #expect(try f.store.messagePath(owner: alice, mailbox: "INBOX", uid: 1)?.hasSuffix("/cur/" + name + ":2,S") == true)
    }

    @Test func missingMailboxAndDeletedDirectory() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        #expect(throws: MailStoreError.noSuchMailbox("Nope")) { try f.store.sync(owner: alice, mailbox: "Nope") }
        try f.store.createMailbox(owner: alice, name: "Temp")
        try FileManager.default.removeItem(atPath: f.maildir(alice, "Temp"))
        #expect(throws: MailStoreError.noSuchMailbox("Temp")) { try f.store.select(owner: alice, mailbox: "Temp", readOnly: true) }
        #expect(!(try f.store.listMailboxes(owner: alice).map(\.name).contains("Temp")))
    }

    @Test func folderWithoutNewIsRepairedNotDropped() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        try f.store.createMailbox(owner: alice, name: "Lists")
        let v = try f.store.status(owner: alice, mailbox: "Lists").uidValidity
        try FileManager.default.removeItem(atPath: f.maildir(alice, "Lists") + "/new")
        #expect(try f.store.status(owner: alice, mailbox: "Lists").uidValidity == v)
        #expect(FileManager.default.fileExists(atPath: f.maildir(alice, "Lists") + "/new"))
    }

    @Test func bulkIndexing() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let count = 20_000
        let dir = f.maildir()
        let body = Fixture.message("bulk")
        for i in 0..<count {
            let info = i % 3 == 0 ? ":2,S" : (i % 3 == 1 ? ":2,FR" : "")
            let sub = info.isEmpty ? "/new/" : "/cur/"
            // Shuffled times so that the order comes from the names, not from readdir.
            let sec = 1_700_000_000 + (i * 7919) % count
            _ = try MaildirIO.writeSmallFile(dir + sub + "\(sec).M0P1Q\(i)R0.host,S=\(body.count)\(info)", body)
        }
        let snap = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: false)
        #expect(snap.count == count)
        #expect(snap.messages.first?.uid == 1 && snap.messages.last?.uid == UInt32(count))
        #expect(snap.recent.count == count / 3)
        let infos = try f.store.messageInfos(owner: alice, mailbox: "INBOX", uids: snap.messages.map(\.uid))
        let times = infos.map(\.internalDate)
        #expect(times == times.sorted())
        #expect(Set(infos.map(\.base)).count == count)
        let seen = snap.messages.filter { $0.flags == .seen }.count
        let flaggedAnswered = snap.messages.filter { $0.flags == [.flagged, .answered] }.count
        #expect(seen == (count + 2) / 3 && flaggedAnswered == (count + 1) / 3)
        #expect(f.files("new").isEmpty)
        let status = try f.store.status(owner: alice, mailbox: "INBOX")
        #expect(status.messages == count && status.recent == 0 && status.size == Int64(count * body.count))
    }
}
