import Foundation
import Testing
@testable import FacteurMailStore

@Suite struct MailboxChangesTests {
    let alice = "alice@example.test"

    @Test func deliveryThenSyncNotifiesIdleSessions() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let inbox = EventLog(), sent = EventLog(), everything = EventLog()
        let a = f.store.changes.subscribe(owner: alice, mailbox: "inbox") { _, e in inbox.record(e) }
        let b = f.store.changes.subscribe(owner: alice, mailbox: "Sent") { _, e in sent.record(e) }
        let c = f.store.changes.subscribeAll { k, e in if k.mailbox == "INBOX" { everything.record(e) } }
        try f.deliver()
        try f.deliver()
        try f.store.sync(owner: alice, mailbox: "INBOX")
        try f.store.sync(owner: alice, mailbox: "INBOX")        // nothing new: no event
        #expect(inbox.all == [.added(uids: [1, 2])])
        #expect(everything.all == inbox.all)
        #expect(sent.all.isEmpty)
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [2], operation: .add, flags: .seen)
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [2], operation: .add, flags: .seen)   // no change
        #expect(inbox.flagChanges == [MessageState(uid: 2, flags: .seen)])
        f.store.changes.unsubscribe(a)
        f.store.changes.unsubscribe(b)
        f.store.changes.unsubscribe(c)
        #expect(f.store.changes.subscriberCount == 0)
        try f.store.append(owner: alice, mailbox: "INBOX", source: .bytes([1]))
        #expect(inbox.all.count == 2)
    }

    @Test func everyChangingOperationPosts() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let inbox = EventLog(), trash = EventLog()
        let a = f.store.changes.subscribe(owner: alice, mailbox: "INBOX") { _, e in inbox.record(e) }
        let b = f.store.changes.subscribe(owner: alice, mailbox: "Trash") { _, e in trash.record(e) }
        defer { f.store.changes.unsubscribe(a); f.store.changes.unsubscribe(b) }
        try f.store.append(owner: alice, mailbox: "INBOX", source: .bytes([1]))
        try f.store.append(owner: alice, mailbox: "INBOX", source: .bytes([2]))
        try f.store.copy(owner: alice, from: "INBOX", uids: [1], to: "Trash")
        try f.store.move(owner: alice, from: "INBOX", uids: [2], to: "Trash")
        try f.store.storeFlags(owner: alice, mailbox: "Trash", uids: [1, 2], operation: .add, flags: .deleted)
        try f.store.expunge(owner: alice, mailbox: "Trash")
        #expect(inbox.all == [.added(uids: [1]), .added(uids: [2]), .expunged(uids: [2])])
        #expect(trash.all == [.added(uids: [1]), .added(uids: [2]),
                              .flagsChanged([MessageState(uid: 1, flags: .deleted), MessageState(uid: 2, flags: .deleted)]),
                              .expunged(uids: [1, 2])])
        try f.store.renameMailbox(owner: alice, from: "Trash", to: "Bin")
        #expect(trash.all.last == .gone)
    }

    @Test func handlersMayUnsubscribeThemselves() {
        let hub = MailboxChanges()
        let log = EventLog()
        let box = SubscriptionBox()
        box.sub = hub.subscribe(owner: "o", mailbox: "INBOX") { _, e in
            log.record(e)
            if let s = box.sub { hub.unsubscribe(s) }
        }
        hub.post(MailboxKey(owner: "o", mailbox: "INBOX"), .added(uids: [1]))
        hub.post(MailboxKey(owner: "o", mailbox: "INBOX"), .added(uids: [2]))
        hub.post(MailboxKey(owner: "other", mailbox: "INBOX"), .added(uids: [3]))
        #expect(log.all == [.added(uids: [1])])
    }
}

final class SubscriptionBox: @unchecked Sendable {
    var sub: MailboxChanges.Subscription?
}
