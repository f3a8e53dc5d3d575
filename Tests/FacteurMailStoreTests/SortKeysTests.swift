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
}
