import Foundation
import Testing
@testable import FacteurMailStore

/// `appendAll` (MULTIAPPEND, RFC 3502): every message stored, or none and nothing left behind.
@Suite struct MultiAppendTests {
    let alice = "alice@example.test"

    @Test func allMessagesAppearTogetherWithConsecutiveUIDs() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let spool = try f.store.openAppendSpool(owner: alice)
        try AppendTests.fill(spool, Fixture.message("spooled"))
        let results = try f.store.appendAll(owner: alice, mailbox: "INBOX", items: [
            AppendItem(source: .bytes(Fixture.message("one")), flags: [.seen]),
            AppendItem(source: .spool(spool)),
            AppendItem(source: .bytes(Fixture.message("three")), keywords: ["$Label1"]),
        ])
        #expect(results.map(\.uid) == [1, 2, 3])
        #expect(try f.store.status(owner: alice, mailbox: "INBOX").messages == 3)
        #expect(f.files("tmp").isEmpty)
        #expect(try f.store.messageInfo(owner: alice, mailbox: "INBOX", uid: 3)?.keywords == ["$Label1"])
    }

    @Test func aFailingMessageLeavesNoneAndNothingInTmp() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let broken = try f.store.openAppendSpool(owner: alice)
        broken.discard()  // its file is gone: sealing the second message fails
        #expect(throws: MailStoreError.self) {
            try f.store.appendAll(owner: alice, mailbox: "INBOX", items: [
                AppendItem(source: .bytes(Fixture.message("one"))),
                AppendItem(source: .spool(broken)),
                AppendItem(source: .bytes(Fixture.message("three"))),
            ])
        }
        #expect(try f.store.status(owner: alice, mailbox: "INBOX").messages == 0)
        #expect(f.files("tmp").isEmpty && f.files("cur").isEmpty && f.files("new").isEmpty)
    }

    @Test func aVanishedMailboxAppendsNothing() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let spool = try f.store.openAppendSpool(owner: alice)
        try AppendTests.fill(spool, Fixture.message("spooled"))
        #expect(throws: MailStoreError.noSuchMailbox("Gone")) {
            try f.store.appendAll(owner: alice, mailbox: "Gone", items: [
                AppendItem(source: .bytes(Fixture.message("one"))), AppendItem(source: .spool(spool)),
            ])
        }
        #expect(f.files("tmp").isEmpty)
    }
}
