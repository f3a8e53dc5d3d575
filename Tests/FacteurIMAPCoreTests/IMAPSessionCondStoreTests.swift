import Foundation
import Testing
@testable import FacteurIMAPCore

/// CONDSTORE / QRESYNC (RFC 7162) in the session, over the in-memory store (whose mod-sequences
/// count up from 1: three deliveries leave messages at 2, 3, 4 and HIGHESTMODSEQ 4).
@Suite struct IMAPSessionCondStoreTests {
    private func store() async -> InMemoryMailStore {
        let store = InMemoryMailStore()
        for subject in ["one", "two", "three"] { await store.deliver("INBOX", "Subject: \(subject)\r\n\r\nbody\r\n") }
        return store
    }

    @Test func condstoreFetchStoreSearchStatus() async {
        var c = Conversation(store: await store())
        await c.login()
        #expect(await c.send("a ENABLE CONDSTORE\r\n") == "* ENABLED CONDSTORE\r\na OK ENABLE completed\r\n")
        #expect(await c.send("b SELECT INBOX\r\n").contains("* OK [HIGHESTMODSEQ 4] Highest\r\nb OK [READ-WRITE]"))
        #expect(await c.send("c FETCH 1:* (MODSEQ)\r\n")
            == "* 1 FETCH (MODSEQ (2))\r\n* 2 FETCH (MODSEQ (3))\r\n* 3 FETCH (MODSEQ (4))\r\nc OK FETCH completed\r\n")
        #expect(await c.send("d STORE 2 +FLAGS (\\Seen)\r\n") == "* 2 FETCH (FLAGS (\\Seen) MODSEQ (5))\r\nd OK STORE completed\r\n")
        #expect(await c.send("e FETCH 1:* (FLAGS) (CHANGEDSINCE 4)\r\n")
            == "* 2 FETCH (FLAGS (\\Seen) MODSEQ (5))\r\ne OK FETCH completed\r\n")
        // Message 2 changed after 4: left alone and named; .SILENT still reports new mod-sequences.
        #expect(await c.send("f STORE 1:3 (UNCHANGEDSINCE 4) +FLAGS.SILENT (\\Flagged)\r\n")
            == "* 1 FETCH (MODSEQ (6))\r\n* 3 FETCH (MODSEQ (6))\r\nf OK [MODIFIED 2] Conditional STORE failed\r\n")
        #expect(await c.send("g UID STORE 1:3 (UNCHANGEDSINCE 0) +FLAGS (\\Draft)\r\n")
            == "g OK [MODIFIED 1:3] Conditional UID STORE failed\r\n")
        #expect(await c.send("h SEARCH MODSEQ 6\r\n") == "* SEARCH 1 3 (MODSEQ 6)\r\nh OK SEARCH completed\r\n")
        #expect(await c.send("i UID SEARCH MODSEQ \"/flags/\\\\flagged\" all 5 FLAGGED\r\n") == "* SEARCH 1 3 (MODSEQ 6)\r\ni OK UID SEARCH completed\r\n")
        #expect(await c.send("j SEARCH MODSEQ 99\r\n") == "* SEARCH\r\nj OK SEARCH completed\r\n")
        #expect(await c.send("k STATUS INBOX (HIGHESTMODSEQ MESSAGES)\r\n").hasPrefix("* STATUS INBOX (HIGHESTMODSEQ 6 MESSAGES 3)\r\n"))
    }

    /// ESEARCH with MODSEQ (RFC 4731 §3.2, RFC 7162 §3.1.5): MIN/MAX alone name the highest
    /// mod-sequence of the messages they return; ALL/COUNT that of every match.
    @Test func esearchCarriesTheModSeqOfWhatItReturns() async {
        var c = Conversation(store: await store())
        await c.login()
        _ = await c.send("a SELECT INBOX (CONDSTORE)\r\n")
        _ = await c.send("b STORE 1 +FLAGS (\\Seen)\r\n")   // 1 → 5
        _ = await c.send("c STORE 3 +FLAGS (\\Seen)\r\n")   // 3 → 6
        _ = await c.send("d STORE 2 +FLAGS (\\Seen)\r\n")   // 2 → 7
        #expect(await c.send("e SEARCH RETURN (MIN) MODSEQ 1\r\n") == "* ESEARCH (TAG \"e\") MIN 1 MODSEQ 5\r\ne OK SEARCH completed\r\n")
        #expect(await c.send("f SEARCH RETURN (MAX) MODSEQ 1\r\n") == "* ESEARCH (TAG \"f\") MAX 3 MODSEQ 6\r\nf OK SEARCH completed\r\n")
        #expect(await c.send("g SEARCH RETURN () MODSEQ 1\r\n") == "* ESEARCH (TAG \"g\") ALL 1:3 MODSEQ 7\r\ng OK SEARCH completed\r\n")
        #expect(await c.send("h SEARCH RETURN (COUNT) MODSEQ 99\r\n") == "* ESEARCH (TAG \"h\") COUNT 0\r\nh OK SEARCH completed\r\n")
        #expect(await c.send("i SEARCH RETURN (MIN) ALL\r\n") == "* ESEARCH (TAG \"i\") MIN 1\r\ni OK SEARCH completed\r\n")
    }

    @Test func aCondstoreEnablingCommandReportsHighestModSeqOnce() async {
        var c = Conversation(store: await store())
        await c.login()
        let select = await c.send("a SELECT INBOX\r\n")
        #expect(select.contains("* OK [HIGHESTMODSEQ 4] Highest\r\n"))   // every SELECT says it
        #expect(await c.send("b STORE 1 +FLAGS (\\Seen)\r\n") == "* 1 FETCH (FLAGS (\\Seen))\r\nb OK STORE completed\r\n")
        #expect(await c.send("c FETCH 1 (MODSEQ)\r\n") == "* OK [HIGHESTMODSEQ 5] Highest\r\n* 1 FETCH (MODSEQ (5))\r\nc OK FETCH completed\r\n")
        #expect(await c.send("d FETCH 2 (MODSEQ)\r\n") == "* 2 FETCH (MODSEQ (3))\r\nd OK FETCH completed\r\n")
        // From now on flag changes carry MODSEQ.
        #expect(await c.send("e STORE 2 +FLAGS (\\Seen)\r\n") == "* 2 FETCH (FLAGS (\\Seen) MODSEQ (6))\r\ne OK STORE completed\r\n")
        #expect(await c.send("f SELECT INBOX (CONDSTORE)\r\n").hasPrefix("* OK [CLOSED] Previous mailbox closed\r\n"))
    }

    @Test func qresyncNeedsEnableAndVanishedNeedsQresync() async {
        var c = Conversation(store: await store())
        await c.login()
        #expect(await c.send("a SELECT INBOX (QRESYNC (1 2))\r\n") == "a BAD QRESYNC is not enabled\r\n")
        _ = await c.send("b SELECT INBOX\r\n")
        #expect(await c.send("c UID FETCH 1:* FLAGS (CHANGEDSINCE 2 VANISHED)\r\n").hasSuffix("c BAD QRESYNC is not enabled\r\n"))
        #expect(await c.send("d ENABLE QRESYNC\r\n") == "* ENABLED QRESYNC\r\nd OK ENABLE completed\r\n")
        #expect(await c.send("e FETCH 1:* FLAGS (CHANGEDSINCE 2 VANISHED)\r\n") == "e BAD VANISHED needs UID FETCH\r\n")
        #expect(await c.send("f UID FETCH 1:* FLAGS (VANISHED)\r\n") == "f BAD VANISHED needs CHANGEDSINCE\r\n")
    }

    /// The client was away while another session changed flags, expunged and delivered: one
    /// SELECT (QRESYNC) tells it exactly that.
    @Test func qresyncResynchronisesAfterChangesElsewhere() async throws {
        let store = await store()
        var away = Conversation(store: store)
        await away.login()
        _ = await away.send("a ENABLE QRESYNC\r\n")
        _ = await away.send("b SELECT INBOX\r\n")
        _ = await away.send("c LOGOUT\r\n")

        var other = Conversation(store: store)
        await other.login()
        _ = await other.send("a SELECT INBOX\r\n")
        _ = await other.send("b STORE 2 +FLAGS (\\Answered)\r\n")           // modseq 5
        _ = await other.send("c STORE 3 +FLAGS (\\Deleted)\r\n")            // 6
        _ = await other.send("d EXPUNGE\r\n")                               // 7
        await store.deliver("INBOX", "Subject: four\r\n\r\nbody\r\n")       // UID 4, 8

        var back = Conversation(store: store)
        await back.login()
        _ = await back.send("a ENABLE QRESYNC\r\n")
        let resync = await back.send("b SELECT INBOX (QRESYNC (1 4 1:3))\r\n")
        #expect(resync.contains("* OK [HIGHESTMODSEQ 8] Highest\r\n"
            + "* VANISHED (EARLIER) 3\r\n"
            + "* 2 FETCH (UID 2 FLAGS (\\Answered) MODSEQ (5))\r\n"
            + "* 3 FETCH (UID 4 FLAGS () MODSEQ (8))\r\n"
            + "b OK [READ-WRITE] SELECT completed\r\n"))
        // Known UIDs limit VANISHED; another UIDVALIDITY gets a plain SELECT.
        #expect(!(await back.send("c SELECT INBOX (QRESYNC (1 4 1:2))\r\n").contains("VANISHED")))
        let stale = await back.send("d SELECT INBOX (QRESYNC (77 4))\r\n")
        #expect(!stale.contains("VANISHED") && !stale.contains("FETCH"))
        // Up to date: nothing to say.
        let current = await back.send("e EXAMINE INBOX (QRESYNC (1 8))\r\n")
        #expect(!current.contains("VANISHED") && !current.contains("FETCH") && current.hasSuffix("e OK [READ-ONLY] EXAMINE completed\r\n"))
        // The same through UID FETCH (CHANGEDSINCE … VANISHED).
        #expect(await back.send("f UID FETCH 1:* (FLAGS) (CHANGEDSINCE 4 VANISHED)\r\n")
            == "* VANISHED (EARLIER) 3\r\n* 2 FETCH (FLAGS (\\Answered) UID 2 MODSEQ (5))\r\n* 3 FETCH (FLAGS () UID 4 MODSEQ (8))\r\n"
            + "f OK UID FETCH completed\r\n")
    }

    /// Once QRESYNC is enabled every expunge is a VANISHED: own EXPUNGE, MOVE, and what a NOOP
    /// learns of another session's expunge.
    @Test func expungesAreVanishedOnceQresyncIsEnabled() async {
        let store = await store()
        await store.add("Archive")
        var c = Conversation(store: store)
        await c.login()
        _ = await c.send("a ENABLE QRESYNC\r\n")
        _ = await c.send("b SELECT INBOX\r\n")
        _ = await c.send("c STORE 1 +FLAGS.SILENT (\\Deleted)\r\n")
        #expect(await c.send("d EXPUNGE\r\n") == "* VANISHED 1\r\nd OK EXPUNGE completed\r\n")
        #expect(await c.send("e UID MOVE 3 Archive\r\n").contains("* VANISHED 3\r\ne OK UID MOVE completed\r\n"))

        var other = Conversation(store: store)
        await other.login()
        _ = await other.send("a SELECT INBOX\r\n")
        _ = await other.send("b STORE 1 +FLAGS (\\Deleted \\Seen)\r\n")
        _ = await other.send("c EXPUNGE\r\n")
        #expect(await c.send("f NOOP\r\n") == "* VANISHED 2\r\nf OK NOOP completed\r\n")
        // Flag changes made elsewhere arrive with their MODSEQ.
        await store.deliver("INBOX", "Subject: five\r\n\r\nbody\r\n")
        _ = await c.send("g NOOP\r\n")
        _ = await other.send("d NOOP\r\n")
        _ = await other.send("e STORE 1 +FLAGS (\\Flagged)\r\n")
        let noop = await c.send("h NOOP\r\n")
        #expect(noop.contains("* 1 FETCH (FLAGS (\\Flagged) UID 4 MODSEQ ("))
        #expect(await c.send("i CLOSE\r\n") == "i OK CLOSE completed\r\n")
    }
}
