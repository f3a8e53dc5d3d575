import Foundation
import Testing
@testable import FacteurMailStore

/// The per-folder usage the database keeps (mailstore-v2-quota triggers) follows every way the
/// index changes, and agrees with a count of the messages after each.
struct QuotaUsageTests {
    let alice = "alice@example.test"

    /// What the triggers maintain must equal a plain count over the messages.
    func recount(_ f: Fixture) throws -> (messages: Int64, bytes: Int64) {
        var messages: Int64 = 0, bytes: Int64 = 0
        for entry in try f.store.listMailboxes(owner: alice) where !entry.noselect {
            let status = try f.store.status(owner: alice, mailbox: entry.name)
            messages += Int64(status.messages); bytes += status.size
        }
        return (messages, bytes)
    }

    @Test func usageFollowsDeliveryAppendCopyMoveExpungeAndDelete() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        #expect(try f.store.usage(owner: alice) == (0, 0))
        let size = Int64(Fixture.message("hi").count)
        for i in 0..<3 { try f.deliver(seconds: 1_795_933_936 + i) }
        try f.store.sync(owner: alice, mailbox: "INBOX")
        #expect(try f.store.usage(owner: alice) == (3, 3 * size))
        let appended = Fixture.message("appended")
        _ = try f.store.append(owner: alice, mailbox: "Sent", source: .bytes(appended), flags: [], keywords: [], internalDate: Date())
        #expect(try f.store.usage(owner: alice) == (4, 3 * size + Int64(appended.count)))
        _ = try f.store.copy(owner: alice, from: "INBOX", uids: [1, 2], to: "Archive")
        #expect(try f.store.usage(owner: alice) == (6, 5 * size + Int64(appended.count)))
        #expect(try f.store.usage(owner: alice, mailbox: "INBOX", uids: [1, 2, 99]) == (2, 2 * size))
        // A MOVE between the user's folders changes nothing.
        _ = try f.store.move(owner: alice, from: "INBOX", uids: [3], to: "Trash")
        #expect(try f.store.usage(owner: alice) == (6, 5 * size + Int64(appended.count)))
        _ = try f.store.storeFlags(owner: alice, mailbox: "Archive", uids: [1, 2], operation: .add, flags: .deleted, keywords: [])
        #expect(try f.store.deletedUsage(owner: alice, mailbox: "Archive") == (2, 2 * size))
        _ = try f.store.expunge(owner: alice, mailbox: "Archive")
        #expect(try f.store.usage(owner: alice) == (4, 3 * size + Int64(appended.count)))
        #expect(try f.store.deletedUsage(owner: alice, mailbox: "Archive") == (0, 0))
        try f.store.deleteMailbox(owner: alice, name: "Trash")
        #expect(try f.store.usage(owner: alice) == (3, 2 * size + Int64(appended.count)))
        let recounted = try recount(f)
        #expect(try f.store.usage(owner: alice) == recounted)
        // Another user's mail is not counted.
        try f.store.ensureUser("bob@example.test")
        try f.deliver("bob@example.test")
        try f.store.sync(owner: "bob@example.test", mailbox: "INBOX")
        #expect(try f.store.usage(owner: alice) == recounted)
        #expect(try f.store.usage(owner: "bob@example.test") == (1, size))
    }

    @Test func usageIsRebuiltWithALostIndex() throws {
        let f = try Fixture.inbox(alice, messages: 5)
        let before = try f.store.usage(owner: alice)
        #expect(before.messages == 5)
        try f.loseDatabase()
        _ = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true)
        #expect(try f.store.usage(owner: alice) == before)
    }
}
