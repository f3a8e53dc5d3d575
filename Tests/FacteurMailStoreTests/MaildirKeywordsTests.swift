import Foundation
import Testing
@testable import FacteurMailStore

/// Keywords in the Maildir as Dovecot keeps them: `dovecot-keywords` and the letters a–z in the
/// `:2,` info, read back by a sync and by an index rebuilt from the files.
@Suite struct MaildirKeywordsTests {
    let alice = "alice@example.test"

    func inboxWith(_ n: Int) throws -> Fixture { try Fixture.inbox(alice, messages: n) }

    func keywordsFile(_ f: Fixture, folder: String? = nil) -> String? {
        try? String(contentsOfFile: f.maildir(alice, folder) + "/dovecot-keywords", encoding: .utf8)
    }

    @Test func tableParsesDovecotsFormatAndSkipsWhatIsNotAKeyword() {
        let table = MaildirKeywords(parsing: "0 $Label1\n1 Important\n3 Old\n26 TooFar\nx y\n2 bad name\n4 $label1\n")
        #expect(table.names == ["$Label1", "Important", nil, "Old"])
        #expect(table.keywords(inSuffix: ":2,FSabd") == ["$Label1", "Important", "Old"])
        #expect(table.letters(["old", "$Label1", "Unknown"]) == [UInt8(ascii: "a"), UInt8(ascii: "d")])
        #expect(table.text == "0 $Label1\n1 Important\n3 Old\n")
        #expect(MaildirFilename.suffix(flags: [.seen], keywordLetters: [UInt8(ascii: "b")], keeping: ":2,PSac") == ":2,PSb")
    }

    @Test func storedKeywordsGoIntoTheFileNameAndDovecotKeywords() throws {
        let f = try inboxWith(2)
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: .seen, keywords: ["$Label1", "Important"])
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [2], operation: .add, flags: [], keywords: ["important", "Old"])
        #expect(keywordsFile(f) == "0 $Label1\n1 Important\n2 Old\n")
        #expect(try f.store.messagePath(owner: alice, mailbox: "INBOX", uid: 1)?.hasSuffix(":2,Sab") == true)
        #expect(try f.store.messagePath(owner: alice, mailbox: "INBOX", uid: 2)?.hasSuffix(":2,bc") == true)
        #expect(!FileManager.default.fileExists(atPath: f.maildir(alice) + "/dovecot-keywords.lock"))

        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .remove, flags: [], keywords: ["$label1"])
        #expect(try f.store.messagePath(owner: alice, mailbox: "INBOX", uid: 1)?.hasSuffix(":2,Sb") == true)
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .replace, flags: .flagged)
        #expect(try f.store.messagePath(owner: alice, mailbox: "INBOX", uid: 1)?.hasSuffix(":2,F") == true)
    }

    @Test func aSelectListsTheFoldersKeywordsUsedOrNot() throws {
        let f = try inboxWith(1)
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: [], keywords: ["$Label1"])
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .remove, flags: [], keywords: ["$Label1"])
        #expect(try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true).keywords == ["$Label1"])
    }

    @Test func keywordsSetByAnotherProgramAreSeenAtTheNextSync() throws {
        let f = try inboxWith(1)
        let log = EventLog()
        let sub = f.store.changes.subscribe(owner: alice, mailbox: "INBOX") { _, e in log.record(e) }
        defer { f.store.changes.unsubscribe(sub) }
        // What Dovecot (or mutt, mbsync) does: a table entry, then a rename adding the letter.
        try "0 $Forwarded\n1 Important\n".write(toFile: f.maildir(alice) + "/dovecot-keywords", atomically: true, encoding: .utf8)
        let name = try #require(f.files("cur").first)
        try FileManager.default.moveItem(atPath: f.maildir(alice) + "/cur/" + name,
                                         toPath: f.maildir(alice) + "/cur/" + MaildirFilename(name).base + ":2,RSb")
        f.ageDirectories()
        try f.store.sync(owner: alice, mailbox: "INBOX")
        #expect(try f.store.messageStates(owner: alice, mailbox: "INBOX") == [MessageState(uid: 1, flags: [.answered, .seen], keywords: ["Important"])])
        #expect(log.flagChanges == [MessageState(uid: 1, flags: [.answered, .seen], keywords: ["Important"])])
    }

    /// A keyword kept only in the index (set before keywords went into file names) survives
    /// another program renaming the file; one whose letter that program removed is gone.
    @Test func onlyALetterThatDisappearsRemovesAKeyword() throws {
        let f = try inboxWith(1)
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: [], keywords: ["Old", "$Label1"])
        let path = try #require(try f.store.messagePath(owner: alice, mailbox: "INBOX", uid: 1))
        #expect(path.hasSuffix(":2,ab"))
        // As an older Facteur left it: "Old" in the index only, its letter absent from the name.
        try f.store.pool.write { db in
            try db.execute(sql: "UPDATE mailstore_message SET suffix = ':2,b' WHERE uid = 1")
        }
        // mutt then marks it seen and drops $Label1 (letter b).
        try FileManager.default.moveItem(atPath: path, toPath: path.replacingOccurrences(of: ":2,ab", with: ":2,S"))
        f.ageDirectories()
        try f.store.sync(owner: alice, mailbox: "INBOX")
        let states = try f.store.messageStates(owner: alice, mailbox: "INBOX")
        #expect(states == [MessageState(uid: 1, flags: .seen, keywords: ["Old"])], "\(states) \(f.files("cur"))")
    }

    @Test func aRebuiltIndexGetsTheKeywordsBack() throws {
        let f = try inboxWith(2)
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [2], operation: .add, flags: .flagged, keywords: ["$Label1", "$Junk"])
        try f.loseDatabase()
        let states = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: false).messages
        #expect(states.map(\.flags) == [[], [.flagged]])
        #expect(Set(states[1].keywords) == ["$Label1", "$Junk"])
        #expect(states[0].keywords.isEmpty)
    }

    @Test func beyondTwentySixKeywordsTheRestAreIndexOnly() throws {
        let f = try inboxWith(1)
        let many = (0..<30).map { "k\($0)" }
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: [], keywords: many)
        let table = MaildirKeywords.load(f.maildir(alice))
        #expect(table.names.count == 26 && table.names.last == "k25")
        let path = try #require(try f.store.messagePath(owner: alice, mailbox: "INBOX", uid: 1))
        #expect(MaildirFilename(URL(fileURLWithPath: path).lastPathComponent).suffix == ":2,abcdefghijklmnopqrstuvwxyz")
        #expect(try f.store.messageStates(owner: alice, mailbox: "INBOX")[0].keywords == many)
        // Another program renaming the file (adding \Seen) keeps the index-only ones.
        try FileManager.default.moveItem(atPath: path, toPath: path.replacingOccurrences(of: ":2,abc", with: ":2,Sabc"))
        f.ageDirectories()
        try f.store.sync(owner: alice, mailbox: "INBOX")
        let after = try f.store.messageStates(owner: alice, mailbox: "INBOX")[0]
        #expect(after.flags == .seen && after.keywords == many)
    }

    @Test func copiesGetLettersOfTheDestinationsTable() throws {
        let f = try inboxWith(1)
        _ = try f.store.createMailbox(owner: alice, name: "Kept")
        try "0 Other\n".write(toFile: f.maildir(alice, "Kept") + "/dovecot-keywords", atomically: true, encoding: .utf8)
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: [], keywords: ["$Label1"])
        let r = try f.store.copy(owner: alice, from: "INBOX", uids: [1], to: "Kept")
        #expect(keywordsFile(f, folder: "Kept") == "0 Other\n1 $Label1\n")
        let copied = try #require(r.mapping.first?.1)
        #expect(try f.store.messagePath(owner: alice, mailbox: "Kept", uid: copied)?.hasSuffix(":2,b") == true)
        #expect(try f.store.messageStates(owner: alice, mailbox: "Kept")[0].keywords == ["$Label1"])
    }

    @Test func appendWritesTheLetters() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let r = try f.store.append(owner: alice, mailbox: "INBOX", source: .bytes(Fixture.message("x")), flags: .seen, keywords: ["$Forwarded"])
        #expect(try f.store.messagePath(owner: alice, mailbox: "INBOX", uid: r.uid)?.hasSuffix(":2,Sa") == true)
        #expect(keywordsFile(f) == "0 $Forwarded\n")
    }

    @Test func aTableLockedByAnotherProgramLeavesNewKeywordsIndexOnly() throws {
        let f = try inboxWith(1)
        let lock = f.maildir(alice) + "/dovecot-keywords.lock"
        _ = FileManager.default.createFile(atPath: lock, contents: Data())
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: .seen, keywords: ["Busy"])
        #expect(keywordsFile(f) == nil)
        #expect(try f.store.messagePath(owner: alice, mailbox: "INBOX", uid: 1)?.hasSuffix(":2,S") == true)
        #expect(try f.store.messageStates(owner: alice, mailbox: "INBOX")[0].keywords == ["Busy"])
        #expect(FileManager.default.fileExists(atPath: lock))
    }

    /// EXPUNGE decides from what the store holds now: a \Deleted cleared by another program is
    /// not expunged, one set by another program is (RFC 3501 §6.4.3).
    @Test func expungeUsesTheFlagsOnDiskNow() throws {
        let f = try inboxWith(2)
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: .deleted)
        let one = try #require(try f.store.messagePath(owner: alice, mailbox: "INBOX", uid: 1))
        try FileManager.default.moveItem(atPath: one, toPath: one.replacingOccurrences(of: ":2,T", with: ":2,"))
        let two = try #require(try f.store.messagePath(owner: alice, mailbox: "INBOX", uid: 2))
        try FileManager.default.moveItem(atPath: two, toPath: two.replacingOccurrences(of: ":2,", with: ":2,T"))
        f.ageDirectories()
        #expect(try f.store.expunge(owner: alice, mailbox: "INBOX") == [2])
        #expect(try f.store.messageStates(owner: alice, mailbox: "INBOX").map(\.uid) == [1])
    }

    /// EXAMINE reports \Recent without taking it from the next SELECT (RFC 3501 §6.3.2).
    @Test func examineSeesRecentWithoutClaimingIt() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        try f.deliver()
        try f.deliver(seconds: 1_795_933_999)
        #expect(try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true).recent == [1, 2])
        #expect(try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true).recent == [1, 2])
        #expect(try f.store.select(owner: alice, mailbox: "INBOX", readOnly: false).recent == [1, 2])
        #expect(try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true).recent == [])
    }
}
