import Foundation
import Testing
@testable import FacteurMailStore

@Suite struct MailboxesTests {
    let alice = "alice@example.test"

    @Test func newUserGetsInboxAndSpecialUseFoldersSubscribed() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        try f.store.ensureUser(alice)      // idempotent
        let list = try f.store.listMailboxes(owner: alice)
        #expect(list.map(\.name) == ["INBOX", "Archive", "Drafts", "Junk", "Sent", "Trash"])
        #expect(list.allSatisfy { $0.subscribed && !$0.noselect && !$0.hasChildren })
        let uses = Dictionary(uniqueKeysWithValues: list.map { ($0.name, $0.specialUse) })
        #expect(uses["Sent"] == .sent && uses["Drafts"] == .drafts && uses["Trash"] == .trash)
        #expect(uses["Junk"] == .junk && uses["Archive"] == .archive && uses["INBOX"] == .some(nil))
        for d in [".Sent", ".Drafts", ".Trash", ".Junk", ".Archive"] {
            for s in ["tmp", "new", "cur"] { #expect(FileManager.default.fileExists(atPath: f.maildir() + "/" + d + "/" + s)) }
        }
        let validities = try list.map { try f.store.status(owner: alice, mailbox: $0.name).uidValidity }
        #expect(Set(validities).count == validities.count)
    }

    @Test func unsubscribedSpecialFolderStaysUnsubscribed() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        try f.store.unsubscribe(owner: alice, name: "Junk")
        try f.store.ensureUser(alice)
        #expect(try f.store.subscriptions(owner: alice) == ["Archive", "Drafts", "INBOX", "Sent", "Trash"])
    }

    @Test func createMakesParentsAndListShowsChildren() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        #expect(try f.store.createMailbox(owner: alice, name: "Work/2024/Q1") == "Work/2024/Q1")
        #expect(throws: MailStoreError.alreadyExists("Work/2024")) { try f.store.createMailbox(owner: alice, name: "Work/2024") }
        #expect(throws: MailStoreError.alreadyExists("INBOX")) { try f.store.createMailbox(owner: alice, name: "inbox") }
        #expect(throws: MailStoreError.self) { try f.store.createMailbox(owner: alice, name: "../../bob") }
        #expect(FileManager.default.fileExists(atPath: f.maildir() + "/.Work.2024.Q1/cur"))
        let list = try f.store.listMailboxes(owner: alice)
        let work = try #require(list.first { $0.name == "Work" })
        #expect(work.hasChildren && !work.noselect && !work.subscribed)
        #expect(list.first { $0.name == "Work/2024/Q1" }?.hasChildren == false)
    }

    @Test func deleteWithChildrenLeavesANoselectName() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        try f.store.createMailbox(owner: alice, name: "A/B")
        try f.store.append(owner: alice, mailbox: "A", source: .bytes([0x41]))
        let log = EventLog()
        let sub = f.store.changes.subscribe(owner: alice, mailbox: "A") { _, e in log.record(e) }
        defer { f.store.changes.unsubscribe(sub) }
        try f.store.deleteMailbox(owner: alice, name: "A")
        #expect(log.all == [.gone])
        let a = try #require(try f.store.listMailboxes(owner: alice).first { $0.name == "A" })
        #expect(a.noselect && a.hasChildren)
        #expect(!FileManager.default.fileExists(atPath: f.maildir() + "/.A"))
        #expect(f.files("tmp").isEmpty)                                // the trash was emptied
        #expect(throws: MailStoreError.noselectWithChildren("A")) { try f.store.deleteMailbox(owner: alice, name: "A") }
        #expect(throws: MailStoreError.noSuchMailbox("A")) { try f.store.select(owner: alice, mailbox: "A", readOnly: true) }
        // Recreated: a new UIDVALIDITY, UIDs start again.
        let old = try f.store.status(owner: alice, mailbox: "A/B").uidValidity
        try f.store.createMailbox(owner: alice, name: "A")
        #expect(try f.store.status(owner: alice, mailbox: "A").uidValidity > old)
        try f.store.deleteMailbox(owner: alice, name: "A/B")
        try f.store.deleteMailbox(owner: alice, name: "A")
        #expect(!(try f.store.listMailboxes(owner: alice).contains { $0.name == "A" || $0.name.hasPrefix("A/") }))
    }

    @Test func ensureUserFinishesInterruptedDeletions() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let leftover = f.maildir() + "/tmp/" + MailStore.deletedFolderPrefix + "x"
        try FileManager.default.createDirectory(atPath: leftover + "/cur", withIntermediateDirectories: true)
        try Data([1]).write(to: URL(fileURLWithPath: leftover + "/cur/msg"))
        try Data([1]).write(to: URL(fileURLWithPath: f.maildir() + "/tmp/other"))
        try f.store.ensureUser(alice)
        #expect(f.files("tmp") == ["other"])
    }

    @Test func deleteRefusals() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        #expect(throws: MailStoreError.cannotDeleteInbox) { try f.store.deleteMailbox(owner: alice, name: "Inbox") }
        #expect(throws: MailStoreError.noSuchMailbox("Nope")) { try f.store.deleteMailbox(owner: alice, name: "Nope") }
    }

    @Test func renameMovesInferiorsAndKeepsUIDs() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        try f.store.createMailbox(owner: alice, name: "Old/Sub")
        try f.store.subscribe(owner: alice, name: "Old/Sub")
        let r = try f.store.append(owner: alice, mailbox: "Old/Sub", source: .bytes([0x41]), flags: .seen)
        try f.store.renameMailbox(owner: alice, from: "Old", to: "New/Place")
        let names = try f.store.listMailboxes(owner: alice).map(\.name)
        #expect(names.contains("New") && names.contains("New/Place") && names.contains("New/Place/Sub"))
        #expect(!names.contains { $0.hasPrefix("Old") })
        let s = try f.store.select(owner: alice, mailbox: "New/Place/Sub", readOnly: true)
        #expect(s.uidValidity == r.uidValidity && s.messages == [MessageState(uid: 1, flags: .seen)])
        #expect(try f.store.subscriptions(owner: alice).contains("New/Place/Sub"))
        #expect(throws: MailStoreError.alreadyExists("Sent")) { try f.store.renameMailbox(owner: alice, from: "Drafts", to: "Sent") }
        #expect(throws: MailStoreError.noSuchMailbox("Ghost")) { try f.store.renameMailbox(owner: alice, from: "Ghost", to: "X") }
        #expect(throws: MailStoreError.self) { try f.store.renameMailbox(owner: alice, from: "New", to: "New/Inner") }
    }

    @Test func renamingInboxMovesItsMessages() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        try f.store.createMailbox(owner: alice, name: "INBOX/Kept")
        for i in 0..<2 { try f.deliver(seconds: 1_795_933_936 + i) }
        _ = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: false)
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [2], operation: .add, flags: .answered)
        let before = try f.store.status(owner: alice, mailbox: "INBOX")
        try f.store.renameMailbox(owner: alice, from: "INBOX", to: "Old Mail")
        let inbox = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true)
        #expect(inbox.count == 0 && inbox.uidValidity == before.uidValidity && inbox.uidNext == 3)
        let moved = try f.store.select(owner: alice, mailbox: "Old Mail", readOnly: true)
        #expect(moved.messages.map(\.flags) == [[], .answered])
        #expect(try f.store.listMailboxes(owner: alice).map(\.name).contains("INBOX/Kept"))
    }

    @Test func foreignFolderDirectoriesAreAdopted() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        for s in ["tmp", "new", "cur"] {
            try FileManager.default.createDirectory(atPath: f.maildir() + "/.Lists.swift/" + s, withIntermediateDirectories: true)
        }
        try FileManager.default.createDirectory(atPath: f.maildir() + "/.bad..name/cur", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: f.maildir() + "/.NotAMaildir", withIntermediateDirectories: true)
        try f.deliver(folder: "Lists/swift")
        let list = try f.store.listMailboxes(owner: alice)
        #expect(list.first { $0.name == "Lists" }?.noselect == true)
        #expect(list.first { $0.name == "Lists/swift" }?.noselect == false)
        #expect(!list.contains { $0.name.contains("bad") || $0.name == "NotAMaildir" })
        #expect(try f.store.status(owner: alice, mailbox: "Lists/swift").messages == 1)
    }

    @Test func subscriptionsAreNames() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        try f.store.subscribe(owner: alice, name: "Future/Folder")
        try f.store.unsubscribe(owner: alice, name: "Sent")
        try f.store.unsubscribe(owner: alice, name: "Sent")
        #expect(try f.store.subscriptions(owner: alice) == ["Archive", "Drafts", "Future/Folder", "INBOX", "Junk", "Trash"])
        #expect(throws: MailStoreError.self) { try f.store.subscribe(owner: alice, name: "a/../b") }
    }
}
