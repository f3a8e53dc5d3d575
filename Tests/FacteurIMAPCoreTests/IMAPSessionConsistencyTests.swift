import Foundation
import Testing
@testable import FacteurIMAPCore

/// Two sessions on one mailbox (one shared store): what each is told, and what storage does,
/// when the other changes the mailbox under it (issue #11; Dovecot 2.3 is the reference).
struct IMAPSessionConsistencyTests {
    static let message = "From: Bob <bob@example.org>\nTo: alice@example.org\nSubject: Hi\n\nHi\n"

    /// A store with `count` messages in INBOX and two sessions that selected it.
    func twoSessions(count: Int = 3) async -> (InMemoryMailStore, Conversation, Conversation) {
        let store = InMemoryMailStore()
        for _ in 0..<count { await store.deliver("INBOX", Self.message) }
        var a = Conversation(store: store), b = Conversation(store: store)
        await a.login(); await b.login()
        _ = await a.send("s SELECT INBOX\r\n"); _ = await b.send("s SELECT INBOX\r\n")
        return (store, a, b)
    }

    func uids(_ store: InMemoryMailStore) async -> [UInt32] { await store.flags("INBOX").keys.sorted() }

    /// RFC 3501 §6.4.3: EXPUNGE removes what has \Deleted now, not what this session last saw.
    @Test func expungeDecidesFromTheFlagsInStorageNow() async {
        let (store, first, second) = await twoSessions()
        var a = first, b = second
        _ = await a.send("a1 STORE 1 +FLAGS.SILENT (\\Deleted)\r\n")
        _ = await b.send("b1 STORE 1 -FLAGS.SILENT (\\Deleted)\r\n")
        _ = await b.send("b2 STORE 2 +FLAGS.SILENT (\\Deleted)\r\n")
        let out = await a.send("a2 EXPUNGE\r\n")
        #expect(out.contains("* 2 EXPUNGE\r\n") && !out.contains("* 1 EXPUNGE"), "\(out)")
        #expect(out.contains("* 1 FETCH (FLAGS () UID 1)\r\n"), "A is told that B cleared \\Deleted: \(out)")
        #expect(out.hasSuffix("a2 OK EXPUNGE completed\r\n"))
        #expect(await uids(store) == [1, 3])
        // B learns of the expunge at its next command.
        #expect(await b.send("b3 NOOP\r\n") == "* 2 EXPUNGE\r\nb3 OK NOOP completed\r\n")
    }

    @Test func closeDecidesFromTheFlagsInStorageNow() async {
        let (store, first, second) = await twoSessions()
        var a = first, b = second
        _ = await a.send("a1 STORE 1 +FLAGS.SILENT (\\Deleted)\r\n")
        _ = await b.send("b1 STORE 1 -FLAGS.SILENT (\\Deleted)\r\n")
        _ = await b.send("b2 STORE 3 +FLAGS.SILENT (\\Deleted)\r\n")
        #expect(await a.send("a2 CLOSE\r\n") == "a2 OK CLOSE completed\r\n")
        #expect(await uids(store) == [1, 2])
    }

    @Test func uidExpungeDecidesFromTheFlagsInStorageNow() async {
        let (store, first, second) = await twoSessions()
        var a = first, b = second
        _ = await a.send("a1 STORE 1:2 +FLAGS.SILENT (\\Deleted)\r\n")
        _ = await b.send("b1 STORE 1 -FLAGS.SILENT (\\Deleted)\r\n")
        _ = await b.send("b2 STORE 3 +FLAGS.SILENT (\\Deleted)\r\n")
        let out = await a.send("a2 UID EXPUNGE 1:2\r\n")
        #expect(out.contains("* 2 EXPUNGE\r\n") && !out.contains("* 1 EXPUNGE"), "\(out)")
        #expect(await uids(store) == [1, 3], "UID EXPUNGE leaves \\Deleted messages outside its set")
    }

    /// RFC 3501 §7.2.6: a keyword new to the mailbox is announced in FLAGS and PERMANENTFLAGS
    /// before a FETCH uses it, to the session that set it and to the others.
    @Test func newKeywordsAreAnnouncedToEverySession() async {
        let (_, first, second) = await twoSessions()
        var a = first, b = second
        let flags = "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1)\r\n"
            + "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1 \\*)] Flags permitted\r\n"
        #expect(await a.send("a1 STORE 1 +FLAGS ($Label1)\r\n") == flags + "* 1 FETCH (FLAGS ($Label1))\r\na1 OK STORE completed\r\n")
        #expect(await a.send("a2 STORE 2 +FLAGS ($Label1)\r\n") == "* 2 FETCH (FLAGS ($Label1))\r\na2 OK STORE completed\r\n")
        #expect(await b.send("b1 NOOP\r\n") == flags + "* 1 FETCH (FLAGS ($Label1) UID 1)\r\n* 2 FETCH (FLAGS ($Label1) UID 2)\r\nb1 OK NOOP completed\r\n")
        // A reselect lists it from the start.
        #expect(await b.send("b2 EXAMINE INBOX\r\n").contains("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label1)\r\n* OK [PERMANENTFLAGS ()]"))
    }

    @Test func aNewMessageWithANewKeywordIsAnnouncedBeforeItsFlagsAreFetched() async {
        let (store, first, _) = await twoSessions(count: 1)
        var a = first
        await store.deliver("INBOX", Self.message, flags: [Flag("$Forwarded")])
        let out = await a.send("a1 NOOP\r\n")
        #expect(out.hasPrefix("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n"), "\(out)")
        #expect(out.contains("* 2 EXISTS\r\n"))
    }

    /// A keyword the mailbox defined stays in FLAGS when no message has it any more, and one
    /// defined by another program is announced: every session lists the same keywords (what
    /// imaptest's checkpoints compare).
    @Test func definedKeywordsAreListedWhetherOrNotAMessageHasThem() async {
        let (store, first, _) = await twoSessions(count: 1)
        var a = first
        await store.define(Flag("$Old"), in: "INBOX")
        let out = await a.send("a1 NOOP\r\n")
        #expect(out.hasPrefix("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Old)\r\n"), "\(out)")
        var c = Conversation(store: store)
        await c.login()
        #expect(await c.send("c1 SELECT INBOX\r\n").hasPrefix("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Old)\r\n"))
    }

    /// RFC 3501 §6.4.7: a COPY into the selected mailbox is announced in the same response.
    @Test func copyAndMoveIntoTheSelectedMailboxAnnounceExists() async {
        let (store, first, _) = await twoSessions()
        var a = first
        let copy = await a.send("c1 COPY 1 INBOX\r\n")
        #expect(copy.contains("* 4 EXISTS\r\n"), "\(copy)")
        #expect(copy.hasSuffix("c1 OK [COPYUID 1 1 4] COPY completed\r\n"), "\(copy)")
        let move = await a.send("c2 MOVE 2 INBOX\r\n")
        #expect(move.contains("* 2 EXPUNGE\r\n") && move.contains("* 4 EXISTS\r\n"), "\(move)")
        #expect(await uids(store) == [1, 3, 4, 5])
        #expect(await a.send("c3 NOOP\r\n") == "c3 OK NOOP completed\r\n", "nothing left to announce")
    }

    /// RFC 3501 §6.3.9: `%` stops at a level; that level is listed \Noselect when only a name
    /// below it is subscribed.
    @Test func lsubListsUnsubscribedParentsOfSubscribedNamesAsNoselect() async {
        let store = InMemoryMailStore()
        await store.add("parent/child/grandchild")
        var c = Conversation(store: store)
        await c.login()
        let children = await c.send("l1 LSUB \"\" parent/%\r\n")
        #expect(children == "* LSUB (\\Noselect) \"/\" \"parent/child\"\r\nl1 OK LSUB completed\r\n", "\(children)")
        let top = await c.send("l2 LSUB \"\" %\r\n")
        #expect(top.contains("* LSUB (\\Noselect) \"/\" \"parent\"\r\n") && top.contains("INBOX"), "\(top)")
        let all = await c.send("l3 LSUB \"\" *\r\n")
        #expect(all.contains("parent/child/grandchild") && !all.contains("\\Noselect"), "\(all)")
    }
}
