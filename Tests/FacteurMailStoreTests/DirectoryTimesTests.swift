import Foundation
import GRDB
import Testing
@testable import FacteurMailStore

@Suite struct DirectoryTimesTests {
    static let now: Int64 = 10_000_000_000
    static let old: Int64 = now - 5_000_000_000
    static let recent: Int64 = now - 1_000_000

    static let listing: [(stored: Int64, current: Int64, list: Bool)] = [
        (0, old, true),                 // unknown
        (old, old, false),              // trusted and unchanged
        (old, old + 1, true),           // changed
        (-recent, recent, false),       // our own change, still fresh
        (-recent, recent + 1, true),    // changed again since
        (-old, old, true),              // our own change has settled: verify once
    ]

    @Test(arguments: listing)
    func mustList(_ c: (stored: Int64, current: Int64, list: Bool)) {
        #expect(DirectoryTimes.mustList(stored: c.stored, current: c.current, now: Self.now) == c.list)
    }

    static let own: [(stored: Int64, before: Int64, after: Int64, result: Int64?)] = [
        (old, old, recent, -recent),     // complete index, then we changed it
        (-recent, recent, recent + 5, -(recent + 5)),
        (old, old, old, nil),            // we did not change it
        (0, old, recent, nil),           // index not known complete: stays unknown
        (old, old + 7, recent, nil),     // someone changed it before us: the next sync lists it
    ]

    @Test(arguments: own)
    func afterOwnChange(_ c: (stored: Int64, before: Int64, after: Int64, result: Int64?)) {
        #expect(DirectoryTimes.afterOwnChange(stored: c.stored, before: c.before, after: c.after) == c.result)
    }

    @Test func ownChangesDoNotCauseListingsUntilTheySettle() throws {
        let alice = "alice@example.test"
        let f = try Fixture()
        try f.store.ensureUser(alice)
        try f.deliver(into: "cur", info: ":2,")
        f.ageDirectories()
        try f.store.sync(owner: alice, mailbox: "INBOX")
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: .seen)
        let cur = f.maildir() + "/cur"
        let row = try #require(try f.store.pool.read { db in try MailboxRow.fetch(db, owner: alice, name: "INBOX") })
        let mtime = try #require(MaildirIO.fileStat(cur)?.mtimeNanos)
        #expect(row.curMtime == -mtime)
        // A file slipped in within the same timestamp as our rename: not listed yet …
        let sneaky = try f.deliver(into: "cur", info: ":2,")
        setMtime(cur, nanos: mtime)
        #expect(try f.store.status(owner: alice, mailbox: "INBOX").messages == 1)
        // … but once that mtime is old, one verifying listing finds it.
        let settled = mtime - 10_000_000_000
        setMtime(cur, nanos: settled)
        try f.store.pool.write { db in try db.execute(sql: "UPDATE mailstore_mailbox SET curMtime = ?", arguments: [-settled]) }
        #expect(try f.store.status(owner: alice, mailbox: "INBOX").messages == 2)
        #expect(try f.store.messageInfo(owner: alice, mailbox: "INBOX", uid: 2)?.base == MaildirFilename(sneaky).base)
        let after = try #require(try f.store.pool.read { db in try MailboxRow.fetch(db, owner: alice, name: "INBOX") })
        #expect(after.curMtime == settled)
    }

    private func setMtime(_ path: String, nanos: Int64) {
        let ts = timespec(tv_sec: Int(nanos / 1_000_000_000), tv_nsec: Int(nanos % 1_000_000_000))
        var times = [ts, ts]
        _ = utimensat(AT_FDCWD, path, &times, 0)
    }
}
