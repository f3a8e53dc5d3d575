import Foundation
import Testing
@testable import FacteurMailStore

@Suite struct ConsoleTests {
    let alice = "alice@example.test"

    @Test func summariesCoverEveryOwnerDirectory() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        try f.deliver()
        try f.deliver()
        try f.deliver(into: "cur", info: ":2,S")
        try f.deliver("bob@other.test")                 // delivered, never logged in: no index yet
        let all = try f.store.summaries()
        #expect(all.map(\.owner) == [alice, "bob@other.test"])
        let inbox = try #require(all[0].folders.first)
        #expect(inbox.name == "INBOX" && inbox.messages == 3 && inbox.unseen == 2)
        #expect(inbox.size == Int64(3 * Fixture.message("hi").count))
        #expect(all[0].folders.map(\.name) == ["INBOX", "Archive", "Drafts", "Junk", "Sent", "Trash"])
        #expect(all[1].folders.map(\.name) == ["INBOX"] && all[1].messages == 1)
    }

    @Test func browsingReadsHeadersAndChangesNothing() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        for i in 0..<3 { try f.deliver(subject: "n\(i)", seconds: 1_795_933_936 + i) }
        let before = (f.files("new"), f.files("cur"))
        let page = try f.store.messages(owner: alice, mailbox: "INBOX", limit: 2, offset: 0)
        #expect(page.map(\.subject) == ["n2", "n1"])
        #expect(page[0].from == "Bob <bob@example.test>")
        #expect(page[0].date == Date(timeIntervalSince1970: 1_751_359_957))   // Tue, 1 Jul 2025 10:52:37 +0200
        #expect(try f.store.messages(owner: alice, mailbox: "INBOX", limit: 10, offset: 2).map(\.subject) == ["n0"])
        let raw = try f.store.rawMessage(owner: alice, mailbox: "INBOX", id: page[1].id)
        #expect(raw == Fixture.message("n1"))
        #expect(try f.store.rawMessage(owner: alice, mailbox: "INBOX", id: "nope") == nil)
        #expect(f.files("new") == before.0 && f.files("cur") == before.1)
        let status = try f.store.status(owner: alice, mailbox: "INBOX")
        #expect(status.unseen == 3 && status.recent == 3)
    }

    @Test func rawMessageFollowsARename() throws {
        let f = try Fixture()
        try f.store.ensureUser(alice)
        let name = try f.deliver(subject: "moved")
        try f.store.sync(owner: alice, mailbox: "INBOX")
        try FileManager.default.moveItem(atPath: f.maildir() + "/new/" + name, toPath: f.maildir() + "/cur/" + name + ":2,S")
        #expect(try f.store.rawMessage(owner: alice, mailbox: "INBOX", id: MaildirFilename(name).base) == Fixture.message("moved"))
    }
}
