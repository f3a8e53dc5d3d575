import Foundation
import Testing
@testable import FacteurIMAPCore

/// QUOTA (RFC 9208): the grammar of GETQUOTA / GETQUOTAROOT / SETQUOTA, the responses, and the
/// session's answers over a store with and without limits.
struct QuotaTests {
    static let resources = [QuotaResource(name: "STORAGE", usage: 10, limit: 512),
                            QuotaResource(name: "MESSAGE", usage: 3, limit: 1000)]

    @Test func parsesTheThreeCommands() throws {
        #expect(try IMAPCommandParser.parse(Array("a GETQUOTA \"User quota\"\r\n".utf8)).command == .getQuota(root: "User quota"))
        #expect(try IMAPCommandParser.parse(Array("a GETQUOTA \"\"\r\n".utf8)).command == .getQuota(root: ""))
        #expect(try IMAPCommandParser.parse(Array("a getquotaroot inbox\r\n".utf8)).command == .getQuotaRoot(.inbox))
        #expect(try IMAPCommandParser.parse(Array("a SETQUOTA \"\" (STORAGE 512 message 9223372036854775807)\r\n".utf8)).command
                == .setQuota(root: "", [QuotaResourceLimit(name: "STORAGE", limit: 512), QuotaResourceLimit(name: "MESSAGE", limit: 9_223_372_036_854_775_807)]))
        #expect(try IMAPCommandParser.parse(Array("a SETQUOTA x ()\r\n".utf8)).command == .setQuota(root: "x", []))
    }

    @Test(arguments: ["a GETQUOTA\r\n", "a GETQUOTAROOT\r\n", "a SETQUOTA x\r\n", "a SETQUOTA x (STORAGE)\r\n",
                      "a SETQUOTA x (STORAGE 9223372036854775808)\r\n", "a SETQUOTA x (STORAGE -1)\r\n",
                      "a SETQUOTA x (" + Array(repeating: "STORAGE 1", count: 17).joined(separator: " ") + ")\r\n"])
    func refusesMalformedCommands(_ line: String) {
        #expect(throws: IMAPParseError.self) { try IMAPCommandParser.parse(Array(line.utf8)) }
    }

    @Test func commandsRoundTripThroughTheEncoder() throws {
        for command in [Command.getQuota(root: "User quota"), .getQuotaRoot(IMAPMailboxName(wire: "Sent Items")),
                        .setQuota(root: "", [QuotaResourceLimit(name: "STORAGE", limit: 7)])] {
            var writer = IMAPWriter()
            writer.command(TaggedCommand(tag: "t", command: command))
            #expect(try IMAPCommandParser.parse(writer.bytes).command == command)
        }
    }

    @Test func encodesQuotaAndQuotaRootResponses() {
        #expect(written { $0.response(.untagged(.quota(root: "User quota", Self.resources))) }
                == "* QUOTA \"User quota\" (STORAGE 10 512 MESSAGE 3 1000)\r\n")
        #expect(written { $0.response(.untagged(.quotaRoot(.inbox, roots: ["User quota"]))) } == "* QUOTAROOT INBOX \"User quota\"\r\n")
        #expect(written { $0.response(.untagged(.quotaRoot(.inbox, roots: []))) } == "* QUOTAROOT INBOX\r\n")
    }

    @Test func capabilitiesAnnounceQuotaAndBothResources() async {
        let caps = IMAPSessionConfiguration().capabilities(authenticated: true)
        #expect(caps.contains("QUOTA") && caps.contains("QUOTA=RES-STORAGE") && caps.contains("QUOTA=RES-MESSAGE"))
    }

    @Test func answersWithTheUsersRootAndUsage() async {
        let store = InMemoryMailStore()
        await store.setQuota(Self.resources)
        var conversation = Conversation(store: store)
        await conversation.login()
        #expect(await conversation.send("a GETQUOTAROOT INBOX\r\n")
                == "* QUOTAROOT INBOX \"User quota\"\r\n* QUOTA \"User quota\" (STORAGE 10 512 MESSAGE 3 1000)\r\na OK GETQUOTAROOT completed\r\n")
        #expect(await conversation.send("b GETQUOTA \"User quota\"\r\n")
                == "* QUOTA \"User quota\" (STORAGE 10 512 MESSAGE 3 1000)\r\nb OK GETQUOTA completed\r\n")
        #expect(await conversation.send("c GETQUOTA \"other\"\r\n") == "c NO [NONEXISTENT] No such quota root\r\n")
        #expect(await conversation.send("d GETQUOTAROOT Nowhere\r\n") == "d NO [NONEXISTENT] Mailbox does not exist\r\n")
        #expect(await conversation.send("e SETQUOTA \"User quota\" (STORAGE 1)\r\n")
                == "e NO [NOPERM] Quotas are set by the administrator\r\n")
    }

    @Test func aUserWithoutLimitHasNoQuotaRoot() async {
        var conversation = Conversation(store: InMemoryMailStore())
        await conversation.login()
        #expect(await conversation.send("a GETQUOTAROOT INBOX\r\n") == "* QUOTAROOT INBOX\r\na OK GETQUOTAROOT completed\r\n")
        #expect(await conversation.send("b GETQUOTA \"User quota\"\r\n") == "b NO [NONEXISTENT] No such quota root\r\n")
    }

    @Test func quotaCommandsNeedALogin() async {
        var conversation = Conversation(store: InMemoryMailStore())
        #expect(await conversation.send("a GETQUOTAROOT INBOX\r\n") == "a BAD Not authenticated\r\n")
    }

    @Test func statusReportsDeletedMessagesAndTheirStorage() async {
        let store = InMemoryMailStore()
        var conversation = Conversation(store: store)
        await conversation.login()
        let body = String(repeating: "x", count: 1500)
        for flags in ["(\\Deleted)", "(\\Deleted \\Seen)", "()"] {
            _ = await conversation.send("a APPEND INBOX \(flags) {\(body.count)+}\r\n\(body)\r\n")
        }
        // Two messages of 1,500 octets: 3,000 octets = 3 units of 1024, rounded up.
        #expect(await conversation.send("s STATUS INBOX (MESSAGES DELETED DELETED-STORAGE)\r\n")
                == "* STATUS INBOX (MESSAGES 3 DELETED 2 DELETED-STORAGE 3)\r\ns OK STATUS completed\r\n")
    }

    @Test func overQuotaIsRefusedWithItsCode() async {
        let store = InMemoryMailStore()
        await store.failAppends(with: .overQuota)
        var conversation = Conversation(store: store)
        await conversation.login()
        #expect(await conversation.send("a APPEND INBOX {5+}\r\nhello\r\n") == "a NO [OVERQUOTA] Quota exceeded\r\n")
    }
}
