import Foundation
import GRDB
import Testing
@testable import FacteurMailStore
import FacteurMIME

/// `mailstore_sortkey`: filled at append, backfilled from the files when missing, gone with the message.
struct SortKeysTests {
    let alice = "alice@example.test"

    func rows(_ f: Fixture) throws -> Int {
        try f.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM mailstore_sortkey") ?? -1 }
    }

    @Test func appendStoresTheKeys() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let result = try f.store.append(owner: alice, mailbox: "INBOX", source: .bytes(Fixture.message("Re: [x] Budget", from: "Carol <carol@x.test>")))
        #expect(try rows(f) == 1)
        let fields = try f.store.sortFields(owner: alice, mailbox: "INBOX", uids: [result.uid])
        #expect(fields.map(\.subject) == [BaseSubject(key: "BUDGET", isReplyOrForward: true)])
        #expect(fields.map(\.fromKey) == ["CAROL"])
        #expect(fields.first?.sentDate == RFC5322Date.parse("Tue, 1 Jul 2025 10:52:37 +0200"))
    }

    @Test func deliveredMessagesAreBackfilledOnceAndExpungeDropsTheRow() throws {
        let f = try Fixture.inbox(alice, messages: 300)
        #expect(try rows(f) == 0)
        let uids = (1...300).map(UInt32.init)
        let fields = try f.store.sortFields(owner: alice, mailbox: "INBOX", uids: uids)
        #expect(fields.count == 300 && fields.allSatisfy { $0.subject.key == "HI" && $0.fromKey == "BOB" })
        #expect(try rows(f) == 300)
        // A second request reads the rows (a few UIDs: one lookup each; out of order is fine).
        #expect(try f.store.sortFields(owner: alice, mailbox: "INBOX", uids: [7, 3]).map(\.displayFrom) == ["BOB", "BOB"])
        // An unknown UID has empty fields.
        #expect(try f.store.sortFields(owner: alice, mailbox: "INBOX", uids: [999]) == [MessageSortFields()])
        _ = try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [5], operation: .add, flags: [.deleted], keywords: [])
        _ = try f.store.expunge(owner: alice, mailbox: "INBOX", uids: nil)
        #expect(try rows(f) == 299)
    }

    @Test func aLostIndexIsRebuiltFromTheFiles() throws {
        let f = try Fixture.inbox(alice, messages: 3)
        _ = try f.store.sortFields(owner: alice, mailbox: "INBOX", uids: [1, 2, 3])
        try f.loseDatabase()
        _ = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true)
        #expect(try rows(f) == 0)
        #expect(try f.store.sortFields(owner: alice, mailbox: "INBOX", uids: [1, 2, 3]).map(\.subject.key) == ["HI", "HI", "HI"])
        #expect(try rows(f) == 3)
    }

    @Test func keysOnceReadStayInMemory() throws {
        let f = try Fixture.inbox(alice, messages: 3)
        _ = try f.store.sortFields(owner: alice, mailbox: "INBOX", uids: [1, 2])
        try f.store.pool.write { db in try db.execute(sql: "DELETE FROM mailstore_sortkey") }
        // 1 and 2 come from memory; 3 is read from its file again.
        #expect(try f.store.sortFields(owner: alice, mailbox: "INBOX", uids: [1, 2, 3]).map(\.subject.key) == ["HI", "HI", "HI"])
        #expect(try rows(f) == 1)
    }

    @Test func cacheMergesAndEvicts() {
        let cache = SortKeyCache(capacity: 4)
        let a = SortKeyCache.Key(mailboxID: 1, uidValidity: 7), b = SortKeyCache.Key(mailboxID: 2, uidValidity: 7)
        func fields(_ text: String) -> MessageSortFields { MessageSortFields(fromKey: text) }
        cache.store(a, uids: [5, 1], fields: [fields("five"), fields("one")])
        cache.store(a, uids: [3], fields: [fields("three")])
        #expect(cache.lookup(a, [1, 3, 4, 5]).map { $0?.fromKey } == ["one", "three", nil, "five"])
        #expect(cache.lookup(a, [5, 1]).map { $0?.fromKey } == ["five", "one"])
        #expect(cache.lookup(SortKeyCache.Key(mailboxID: 1, uidValidity: 8), [1]).map { $0?.fromKey } == [nil])
        cache.store(b, uids: [1, 2], fields: [fields("b1"), fields("b2")])
        // Five keys > 4: the least recently used mailbox (a) goes.
        #expect(cache.lookup(a, [1]).map { $0?.fromKey } == [nil])
        #expect(cache.lookup(b, [2]).map { $0?.fromKey } == ["b2"])
    }
}
