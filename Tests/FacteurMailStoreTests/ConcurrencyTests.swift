import Foundation
import Testing
@testable import FacteurMailStore

@Suite struct ConcurrencyTests {
    let alice = "alice@example.test"

    /// Deliveries land in new/ while sessions sync, select, flag and expunge on other threads:
    /// every file ends up indexed exactly once and no UID is handed out twice.
    @Test func deliveriesRaceWithSessions() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let store = f.store
        let dir = f.maildir()
        let body = Fixture.message("race")
        let deliveries = 300
        let seen = UIDLog()
        let sub = store.changes.subscribe(owner: alice, mailbox: "INBOX") { _, e in
            if case .added(let uids) = e { seen.add(uids) }
        }
        defer { store.changes.unsubscribe(sub) }
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            switch worker {
            case 0:
                for i in 0..<deliveries {
                    let name = "\(1_795_933_936 + i).M0P1Q\(i)R0.mx,S=\(body.count)"
                    _ = try? MaildirIO.writeSmallFile(dir + "/tmp/" + name, body)
                    _ = rename(dir + "/tmp/" + name, dir + "/new/" + name)
                    if i % 10 == 0 { try? store.sync(owner: alice, mailbox: "INBOX") }
                }
            case 1:
                for _ in 0..<60 { _ = try? store.select(owner: alice, mailbox: "INBOX", readOnly: false) }
            case 2:
                for i in 0..<60 {
                    _ = try? store.storeFlags(owner: alice, mailbox: "INBOX", uids: Array(1...UInt32(i + 1)), operation: .add,
                                              flags: i % 2 == 0 ? .seen : .flagged)
                }
            default:
                for _ in 0..<60 { _ = try? store.status(owner: alice, mailbox: "INBOX"); _ = try? store.pop3Maildrop(owner: alice) }
            }
        }
        let snap = try store.select(owner: alice, mailbox: "INBOX", readOnly: false)
        #expect(snap.count == deliveries)
        #expect(Set(snap.messages.map(\.uid)).count == deliveries)
        #expect(seen.all.sorted() == snap.messages.map(\.uid))          // each UID announced once
        #expect(snap.uidNext == UInt32(deliveries + 1))
        #expect(f.files("new").isEmpty && f.files("cur").count == deliveries)
        // Every index row points at its file, and the flags agree with the file names.
        for info in try store.messageInfos(owner: alice, mailbox: "INBOX", uids: snap.messages.map(\.uid)) {
            #expect(FileManager.default.fileExists(atPath: info.path))
            #expect(MaildirFilename((info.path as NSString).lastPathComponent).flags == info.flags)
        }
    }
}

extension ConcurrencyTests {
    /// Another program keeps renaming files (flag changes) while we sync: readdir may miss a
    /// file being renamed, and such a file must never be reported as expunged.
    @Test func renamesByAnotherProgramAreNeverExpunges() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let store = f.store
        let dir = f.maildir()
        let body = Fixture.message("race")
        let count = 2000
        let base: @Sendable (Int) -> String = { i in "\(1_795_933_936 + i).M0P1Q\(i)R0.mx,S=\(body.count)" }
        for i in 0..<count { _ = try MaildirIO.writeSmallFile(dir + "/cur/" + base(i) + ":2,", body) }
        try store.sync(owner: alice, mailbox: "INBOX")
        let log = EventLog()
        let sub = store.changes.subscribe(owner: alice, mailbox: "INBOX") { _, e in log.record(e) }
        defer { store.changes.unsubscribe(sub) }
        let done = UIDLog()
        DispatchQueue.concurrentPerform(iterations: 2) { worker in
            if worker == 0 {
                for round in 0..<20 {
                    for i in stride(from: round % 7, to: count, by: 7) {
                        let (a, b) = round % 2 == 0 ? (":2,", ":2,F") : (":2,F", ":2,")
                        _ = rename(dir + "/cur/" + base(i) + a, dir + "/cur/" + base(i) + b)
                    }
                }
                done.add([1])
            } else {
                repeat { try? store.sync(owner: alice, mailbox: "INBOX") } while done.all.isEmpty
            }
        }
        #expect(log.expunged.isEmpty)
        f.ageDirectories()
        try store.sync(owner: alice, mailbox: "INBOX")
        #expect(log.expunged.isEmpty)
        let infos = try store.messageInfos(owner: alice, mailbox: "INBOX", uids: Array(1...UInt32(count)))
        #expect(infos.count == count)
        for info in infos { #expect(MaildirFilename((info.path as NSString).lastPathComponent).flags == info.flags) }
    }
}

final class UIDLog: @unchecked Sendable {
    private let lock = NSLock()
    private var uids: [UInt32] = []
    func add(_ u: [UInt32]) { lock.lock(); uids += u; lock.unlock() }
    var all: [UInt32] { lock.lock(); defer { lock.unlock() }; return uids }
}
