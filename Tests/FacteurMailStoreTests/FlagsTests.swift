import Foundation
import Testing
@testable import FacteurMailStore

@Suite struct FlagsTests {
    let alice = "alice@example.test"

    func inboxWith(_ n: Int) throws -> Fixture { try Fixture.inbox(alice, messages: n) }

    @Test func storeRenamesTheFileAndUpdatesTheIndex() throws {
        let f = try inboxWith(3)
        let r = try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1, 2, 99], operation: .add, flags: [.seen, .flagged])
        #expect(r == [MessageState(uid: 1, flags: [.seen, .flagged]), MessageState(uid: 2, flags: [.seen, .flagged])])
        #expect(f.files("cur").filter { $0.hasSuffix(":2,FS") }.count == 2)
        #expect(f.files("cur").filter { $0.hasSuffix(":2,") }.count == 1)

        let removed = try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .remove, flags: .flagged)
        #expect(removed == [MessageState(uid: 1, flags: .seen)])
        let replaced = try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [2], operation: .replace, flags: [.answered, .draft],
                                              keywords: ["$Label1"])
        #expect(replaced == [MessageState(uid: 2, flags: [.answered, .draft], keywords: ["$Label1"])])
        #expect(try f.store.messagePath(owner: alice, mailbox: "INBOX", uid: 2)?.hasSuffix(":2,DRa") == true)
        #expect(try f.store.messagePath(owner: alice, mailbox: "INBOX", uid: 1)?.hasSuffix(":2,S") == true)
    }

    @Test func keywordsAreCaseInsensitive() throws {
        let f = try inboxWith(1)
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: [], keywords: ["$Junk", "Work"])
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: [], keywords: ["work", "Home"])
        #expect(f.files("cur").first?.hasSuffix(":2,abc") == true, "\(f.files("cur"))")
        #expect(try f.store.messageStates(owner: alice, mailbox: "INBOX")[0].keywords == ["$Junk", "Work", "Home"])
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .remove, flags: [], keywords: ["WORK"])
        #expect(try f.store.messageStates(owner: alice, mailbox: "INBOX")[0].keywords == ["$Junk", "Home"])
    }

    @Test(arguments: ["", "a b", "\\Seen", "x(", "x*", "ü", String(repeating: "k", count: MailStoreLimits.maxKeywordBytes + 1)])
    func invalidKeywordsAreRefused(_ k: String) throws {
        let f = try inboxWith(1)
        #expect(throws: MailStoreError.self) {
            try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: [], keywords: [k])
        }
    }

    @Test func tooManyKeywordsChangeNothing() throws {
        let f = try inboxWith(2)
        let many = (0..<MailStoreLimits.maxKeywordsPerMessage).map { "k\($0)" }
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [2], operation: .add, flags: [], keywords: many)
        let before = f.files("cur")
        #expect(throws: MailStoreError.self) {
            try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1, 2], operation: .add, flags: .seen, keywords: ["one-more"])
        }
        #expect(f.files("cur") == before)
        #expect(try f.store.messageStates(owner: alice, mailbox: "INBOX").map(\.flags) == [[], []])
    }

    @Test func storeOnAFileStillInNewMovesItToCur() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let name = try f.deliver()
        _ = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true)   // EXAMINE leaves new/ alone
        #expect(f.files("new") == [name])
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: .seen)
        #expect(f.files("new").isEmpty)
        #expect(f.files("cur") == [name + ":2,S"])
        #expect(try f.store.status(owner: alice, mailbox: "INBOX").recent == 1)   // still recent for the next SELECT
    }

    @Test func storeAfterAnotherToolRenamedTheFile() throws {
        let f = try inboxWith(1)
        let name = try #require(f.files("cur").first)
        let cur = f.maildir() + "/cur/"
        try FileManager.default.moveItem(atPath: cur + name, toPath: cur + MaildirFilename(name).base + ":2,F")
        let r = try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: .seen)
        #expect(r == [MessageState(uid: 1, flags: [.flagged, .seen])])
        #expect(f.files("cur") == [MaildirFilename(name).base + ":2,FS"])
    }

    @Test func expungeRemovesOnlyDeletedMessages() throws {
        let f = try inboxWith(4)
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1, 3, 4], operation: .add, flags: .deleted)
        #expect(try f.store.expunge(owner: alice, mailbox: "INBOX", uids: [3, 2]) == [3])   // UID EXPUNGE
        #expect(try f.store.expunge(owner: alice, mailbox: "INBOX") == [1, 4])
        #expect(try f.store.expunge(owner: alice, mailbox: "INBOX").isEmpty)
        let snap = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true)
        #expect(snap.messages.map(\.uid) == [2])
        #expect(f.files("cur").count == 1)
        try f.deliver(seconds: 1_900_000_000)
        #expect(try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true).messages.map(\.uid) == [2, 5])
    }

    @Test func selectSnapshot() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        for i in 0..<3 { try f.deliver(seconds: 1_795_933_936 + i) }
        let examine = try f.store.select(owner: alice, mailbox: "inbox", readOnly: true)
        // EXAMINE sees \Recent (RFC 3501 §6.3.2) without claiming it: the SELECT below still gets it.
        #expect(examine.recent == [1, 2, 3] && examine.readOnly && examine.name == "INBOX")
        #expect(f.files("new").count == 3)
        let s = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: false)
        #expect(s.recent == [1, 2, 3] && s.count == 3 && s.uidNext == 4 && s.firstUnseen == 1)
        #expect(f.files("new").isEmpty && f.files("cur").allSatisfy { $0.hasSuffix(":2,") })
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: .seen)
        let again = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: false)
        #expect(again.recent.isEmpty && again.firstUnseen == 2)
        #expect(again.highestModSeq > s.highestModSeq)
    }

    @Test func aSelectedSessionClaimsRecentForNewDeliveries() throws {
        let f = try inboxWith(1)
        try f.deliver(seconds: 1_900_000_000)
        try f.store.sync(owner: alice, mailbox: "INBOX")
        #expect(try f.store.status(owner: alice, mailbox: "INBOX").recent == 1)
        #expect(try f.store.claimRecent(owner: alice, mailbox: "INBOX") == [2])
        #expect(try f.store.claimRecent(owner: alice, mailbox: "INBOX").isEmpty)
        #expect(f.files("new").isEmpty)
        #expect(try f.store.select(owner: alice, mailbox: "INBOX", readOnly: false).recent.isEmpty)
    }
}
