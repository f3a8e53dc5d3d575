import Foundation
import Testing
@testable import FacteurIMAPCore

/// LIST-EXTENDED (RFC 5258): RECURSIVEMATCH with SUBSCRIBED and the CHILDINFO item.
struct ListExtendedTests {
    @Test func recursiveMatchNeedsASelectionOptionOtherThanRemote() {
        #expect(throws: IMAPParseError.self) { try IMAPCommandParser.parse(Array("a LIST (RECURSIVEMATCH REMOTE) \"\" %\r\n".utf8)) }
        #expect((try? IMAPCommandParser.parse(Array("a LIST (SUBSCRIBED RECURSIVEMATCH REMOTE) \"\" %\r\n".utf8))) != nil)
    }

    @Test func childInfoNamesParentsOfSubscribedNamesThePatternDoesNotMatch() async throws {
        let store = InMemoryMailStore()
        await store.add("Work")
        await store.add("Work/Clients")
        await store.add("Home")
        try await store.setSubscribed(IMAPMailboxName(wire: "Work"), false)
        try await store.setSubscribed(IMAPMailboxName(wire: "Home"), false)
        var conversation = Conversation(store: store)
        await conversation.login()
        let listed = await conversation.send("a LIST (SUBSCRIBED RECURSIVEMATCH) \"\" %\r\n")
        #expect(listed == "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"INBOX\"\r\n"
            + "* LIST (\\HasChildren) \"/\" \"Work\" (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\na OK LIST completed\r\n", "\(listed)")
        // The child matches the patterns itself: no CHILDINFO for its parent.
        let both = await conversation.send("b LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (Work Work/Clients)\r\n")
        #expect(both == "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"Work/Clients\"\r\nb OK LIST completed\r\n", "\(both)")
        // Without RECURSIVEMATCH, no CHILDINFO.
        let plain = await conversation.send("c LIST (SUBSCRIBED) \"\" %\r\n")
        #expect(plain == "* LIST (\\HasNoChildren \\Subscribed) \"/\" \"INBOX\"\r\nc OK LIST completed\r\n", "\(plain)")
    }

    @Test func listStatusFollowsEachSelectableMailbox() async throws {
        let store = InMemoryMailStore()
        await store.deliver("INBOX", "Subject: a\n\nx\n")
        var conversation = Conversation(store: store)
        await conversation.login()
        let command = try IMAPCommandParser.parse(Array("a LIST \"\" INBOX RETURN (STATUS (MESSAGES UIDNEXT))\r\n".utf8))
        guard case .list(let list) = command.command else { Issue.record("not a LIST"); return }
        #expect(list.returnOptions == [.status] && list.statusAttributes == [.messages, .uidNext])
        var writer = IMAPWriter()
        writer.command(command)
        #expect(try IMAPCommandParser.parse(writer.bytes) == command)
        let listed = await conversation.send("a LIST \"\" INBOX RETURN (STATUS (MESSAGES UIDNEXT))\r\n")
        #expect(listed == "* LIST (\\HasNoChildren) \"/\" \"INBOX\"\r\n* STATUS INBOX (MESSAGES 1 UIDNEXT 2)\r\na OK LIST completed\r\n", "\(listed)")
    }

    @Test func createSpecialUse() async throws {
        #expect(try IMAPCommandParser.parse(Array("a CREATE Spam (USE (\\Junk))\r\n".utf8)).command
            == .createSpecialUse(IMAPMailboxName(wire: "Spam"), use: ["\\Junk"]))
        var conversation = Conversation(store: InMemoryMailStore())
        await conversation.login()
        #expect(await conversation.send("a CREATE Spam (USE (\\Junk))\r\n") == "a OK CREATE completed\r\n")
        #expect(await conversation.send("b LIST \"\" Spam\r\n") == "* LIST (\\Junk \\HasNoChildren) \"/\" \"Spam\"\r\nb OK LIST completed\r\n")
        let unknown = await conversation.send("c CREATE Odd (USE (\\Important))\r\n")
        #expect(unknown.hasPrefix("c NO [USEATTR]"), "\(unknown)")
        #expect(await conversation.send("d LIST \"\" Odd\r\n") == "d OK LIST completed\r\n")
    }
}
