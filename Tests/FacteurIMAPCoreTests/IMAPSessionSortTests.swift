import Foundation
import Testing
@testable import FacteurIMAPCore
import FacteurMIME

/// ESEARCH, SEARCHRES, SORT, THREAD and ESORT through the session (real framer and parser).
struct IMAPSessionSortTests {
    static func message(from: String, subject: String, date: String, id: String, references: String = "") -> String {
        "From: \(from)\nTo: alice@example.org\nSubject: \(subject)\nDate: \(date)\nMessage-ID: <\(id)>\n"
            + (references.isEmpty ? "" : "References: \(references)\n") + "\nbody\n"
    }

    /// 1: carol "Plans" (Jan 3), 2: bob "Re: Plans" (Jan 1) replying to 1, 3: dave "lunch" (Jan 2), 4: ann "[team] Plans" (Jan 4).
    func store() async -> InMemoryMailStore {
        let store = InMemoryMailStore()
        await store.deliver("INBOX", Self.message(from: "Carol <carol@x.org>", subject: "Plans", date: "Wed, 3 Jan 2024 10:00:00 +0000", id: "p@x"),
                            date: Date(timeIntervalSince1970: 400))
        await store.deliver("INBOX", Self.message(from: "bob@x.org", subject: "Re: Plans", date: "Mon, 1 Jan 2024 10:00:00 +0000", id: "r@x",
                                                  references: "<p@x>"), date: Date(timeIntervalSince1970: 300))
        await store.deliver("INBOX", Self.message(from: "Dave <dave@x.org>", subject: "lunch", date: "Tue, 2 Jan 2024 10:00:00 +0000", id: "l@x"),
                            flags: [.seen], date: Date(timeIntervalSince1970: 200))
        await store.deliver("INBOX", Self.message(from: "Ann <zed@x.org>", subject: "[team] Plans", date: "Thu, 4 Jan 2024 10:00:00 +0000", id: "t@x"),
                            flags: [.seen], date: Date(timeIntervalSince1970: 100))
        return store
    }

    func selected() async -> Conversation {
        var conversation = Conversation(store: await store())
        await conversation.login()
        _ = await conversation.send("s SELECT INBOX\r\n")
        return conversation
    }

    @Test func capabilitiesAreAnnounced() async {
        var conversation = Conversation(store: await store())
        let answer = await conversation.send("c CAPABILITY\r\n")
        for name in ["ESEARCH", "SEARCHRES", "SORT", "SORT=DISPLAY", "ESORT", "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES"] {
            #expect(answer.contains(" \(name)"))
        }
    }

    @Test func esearch() async {
        var conversation = await selected()
        #expect(await conversation.send("a SEARCH RETURN (MIN MAX COUNT ALL) SEEN\r\n")
            == "* ESEARCH (TAG \"a\") MIN 3 MAX 4 ALL 3:4 COUNT 2\r\na OK SEARCH completed\r\n")
        #expect(await conversation.send("b UID SEARCH RETURN () ALL\r\n") == "* ESEARCH (TAG \"b\") UID ALL 1:4\r\nb OK UID SEARCH completed\r\n")
        #expect(await conversation.send("c SEARCH RETURN (COUNT) DELETED\r\n") == "* ESEARCH (TAG \"c\") COUNT 0\r\nc OK SEARCH completed\r\n")
        #expect(await conversation.send("d SEARCH RETURN (MIN) DELETED\r\n") == "* ESEARCH (TAG \"d\")\r\nd OK SEARCH completed\r\n")
    }

    @Test func savedResultFollowsExpungesAndIsResetBySelect() async {
        var conversation = await selected()
        // `$` before any SAVE is the empty set.
        #expect(await conversation.send("a FETCH $ (FLAGS)\r\na2 SEARCH $\r\n") == "a OK FETCH completed\r\n* SEARCH\r\na2 OK SEARCH completed\r\n")
        // SAVE alone answers nothing but the tagged OK.
        #expect(await conversation.send("b SEARCH RETURN (SAVE) UNSEEN\r\n") == "b OK SEARCH completed\r\n")
        #expect(await conversation.send("c FETCH $ (UID)\r\n") == "* 1 FETCH (UID 1)\r\n* 2 FETCH (UID 2)\r\nc OK FETCH completed\r\n")
        #expect(await conversation.send("d UID SEARCH UID $ FROM bob\r\n") == "* SEARCH 2\r\nd OK UID SEARCH completed\r\n")
        #expect(await conversation.send("e STORE $ +FLAGS.SILENT (\\Deleted)\r\ne2 UID EXPUNGE 1\r\n")
            == "e OK STORE completed\r\n* 1 EXPUNGE\r\ne2 OK UID EXPUNGE completed\r\n")
        // Message 1 went: `$` is UID 2 alone, now sequence number 1.
        #expect(await conversation.send("f SEARCH $\r\n") == "* SEARCH 1\r\nf OK SEARCH completed\r\n")
        // SAVE with MIN and MAX keeps only those two.
        #expect(await conversation.send("g UID SEARCH RETURN (SAVE MIN MAX) ALL\r\ng2 UID SEARCH $\r\n")
            == "* ESEARCH (TAG \"g\") UID MIN 2 MAX 4\r\ng OK UID SEARCH completed\r\n* SEARCH 2 4\r\ng2 OK UID SEARCH completed\r\n")
        _ = await conversation.send("i SEARCH RETURN (SAVE) ALL\r\n")
        _ = await conversation.send("j SELECT INBOX\r\n")
        #expect(await conversation.send("k SEARCH $\r\n") == "* SEARCH\r\nk OK SEARCH completed\r\n")
    }

    @Test func sort() async {
        var conversation = await selected()
        #expect(await conversation.send("a SORT (DATE) UTF-8 ALL\r\n") == "* SORT 2 3 1 4\r\na OK SORT completed\r\n")
        #expect(await conversation.send("b SORT (ARRIVAL) UTF-8 ALL\r\n") == "* SORT 4 3 2 1\r\nb OK SORT completed\r\n")
        #expect(await conversation.send("c SORT (SUBJECT REVERSE DATE) UTF-8 ALL\r\n") == "* SORT 3 4 1 2\r\nc OK SORT completed\r\n")
        #expect(await conversation.send("d UID SORT (FROM) US-ASCII UNSEEN\r\n") == "* SORT 2 1\r\nd OK UID SORT completed\r\n")
        #expect(await conversation.send("e SORT (DISPLAYFROM) UTF-8 ALL\r\n") == "* SORT 4 2 1 3\r\ne OK SORT completed\r\n")
        #expect(await conversation.send("f SORT (DATE) KOI8-R ALL\r\n") == "f NO [BADCHARSET (US-ASCII UTF-8 ISO-8859-1)] Unsupported charset KOI8-R\r\n")
        #expect(await conversation.send("g SORT RETURN (MIN MAX ALL COUNT) (REVERSE DATE) UTF-8 ALL\r\n")
            == "* ESEARCH (TAG \"g\") MIN 1 MAX 4 ALL 4,1,3,2 COUNT 4\r\ng OK SORT completed\r\n")
    }

    @Test func thread() async {
        var conversation = await selected()
        #expect(await conversation.send("a THREAD REFERENCES UTF-8 ALL\r\n") == "* THREAD (3)((1 2)(4))\r\na OK THREAD completed\r\n")
        #expect(await conversation.send("b UID THREAD ORDEREDSUBJECT UTF-8 ALL\r\n") == "* THREAD (2 (1)(4))(3)\r\nb OK UID THREAD completed\r\n")
        #expect(await conversation.send("c THREAD REFERENCES UTF-8 SEEN\r\n") == "* THREAD (3)(4)\r\nc OK THREAD completed\r\n")
    }

    @Test func emptyMailboxAndSavedResultInSort() async {
        var empty = Conversation(store: InMemoryMailStore())
        await empty.login()
        _ = await empty.send("s SELECT INBOX\r\n")
        #expect(await empty.send("a SORT (DATE) UTF-8 ALL\r\nb THREAD REFERENCES UTF-8 ALL\r\nc SEARCH RETURN (COUNT) ALL\r\n")
            == "* SORT\r\na OK SORT completed\r\n* THREAD\r\nb OK THREAD completed\r\n* ESEARCH (TAG \"c\") COUNT 0\r\nc OK SEARCH completed\r\n")
        var conversation = await selected()
        _ = await conversation.send("a SEARCH RETURN (SAVE) SUBJECT plans\r\n")
        #expect(await conversation.send("b SORT (REVERSE DATE) UTF-8 $\r\n") == "* SORT 4 1 2\r\nb OK SORT completed\r\n")
        // ESORT with SAVE keeps the set (RFC 5267 §3.2 with RFC 5182).
        #expect(await conversation.send("c SORT RETURN (SAVE) (SUBJECT) UTF-8 SEEN\r\nd SEARCH $\r\n")
            == "c OK SORT completed\r\n* SEARCH 3 4\r\nd OK SEARCH completed\r\n")
    }
}
