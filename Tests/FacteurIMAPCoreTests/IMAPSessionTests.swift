import Foundation
import Testing
@testable import FacteurIMAPCore
import FacteurMIME

/// A client conversation: bytes go through the real framer and parser into the session.
struct Conversation {
    var framer = IMAPFramer(limits: IMAPLimits(streamingLiteralThreshold: 64))
    var session: IMAPSession
    var actions: [IMAPSessionAction] = []

    init(store: InMemoryMailStore, tls: Bool = true) {
        session = IMAPSession(configuration: IMAPSessionConfiguration(tlsAvailable: true, tlsActive: tls),
                              authenticator: FixedAuthenticator(store: store),
                              now: { Date(timeIntervalSince1970: 1_700_000_000) })
    }

    /// Sends `text` and returns everything the server wrote, as text.
    mutating func send(_ text: String) async -> String {
        framer.feed(Array(text.utf8))
        var written: [UInt8] = []
        actions = []
        while true {
            let frame: IMAPFrame
            do { frame = try framer.next() } catch {
                for action in await session.framingFailed(error) { record(action, &written) }
                break
            }
            if frame == .incomplete { break }
            for action in await session.receive(frame) { record(action, &written) }
        }
        return written.text
    }

    private mutating func record(_ action: IMAPSessionAction, _ written: inout [UInt8]) {
        actions.append(action)
        switch action {
        case .send(let bytes): written += bytes
        case .abandonStreamedLiteral: framer.abandonStreamedLiteral()
        default: break
        }
    }

    mutating func login() async {
        _ = await send("L LOGIN alice secret\r\n")
    }
}

struct IMAPSessionTests {
    static let message = "From: Bob <bob@example.org>\nTo: alice@example.org\nSubject: Hello\nDate: Mon, 1 Jan 2024 10:00:00 +0000\n\nHi Alice\n"

    func store(messages: Int = 2) async -> InMemoryMailStore {
        let store = InMemoryMailStore()
        for index in 0..<messages {
            await store.deliver("INBOX", Self.message, flags: index == 0 ? [.seen] : [], recent: index == messages - 1)
        }
        await store.add("Archive")
        await store.add("Sent", attributes: ["\\Sent"])
        await store.add("Archive/2023")
        await store.add("Lists/swift")
        return store
    }

    @Test func greetingAdvertisesCapabilities() async {
        let plain = Conversation(store: InMemoryMailStore(), tls: false)
        let greeting = plain.session.greeting()
        guard case .send(let bytes) = greeting.first else { Issue.record("no greeting"); return }
        #expect(bytes.text == "* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE IDLE NAMESPACE UIDPLUS MOVE UNSELECT CHILDREN SPECIAL-USE CONDSTORE QRESYNC BINARY MULTIAPPEND LIST-EXTENDED LIST-STATUS CREATE-SPECIAL-USE STATUS=SIZE ESEARCH SEARCHRES SORT SORT=DISPLAY ESORT THREAD=ORDEREDSUBJECT THREAD=REFERENCES STARTTLS LOGINDISABLED] Facteur ready\r\n")
        #expect(plain.session.phase == .notAuthenticated)
    }

    @Test func loginNeedsTLS() async {
        var conversation = Conversation(store: InMemoryMailStore(), tls: false)
        #expect(await conversation.send("a LOGIN alice secret\r\n") == "a NO [PRIVACYREQUIRED] LOGIN is disabled until STARTTLS\r\n")
        #expect(await conversation.send("b STARTTLS\r\n") == "b OK Begin TLS negotiation now\r\n")
        #expect(conversation.actions.last == .startTLS)
        conversation.session.tlsEstablished()
        #expect(await conversation.send("c CAPABILITY\r\n").contains("AUTH=PLAIN"))
        #expect(await conversation.send("d LOGIN alice secret\r\n").hasPrefix("d OK [CAPABILITY IMAP4rev1"))
        #expect(conversation.actions.contains(.authenticated(username: "alice")))
        #expect(conversation.session.phase == .authenticated)
    }

    @Test func authenticatePlain() async {
        var conversation = Conversation(store: InMemoryMailStore())
        // SASL-IR, wrong password
        let wrong = Base64.encode(Array("\0alice\0wrong".utf8))
        #expect(await conversation.send("a AUTHENTICATE PLAIN \(wrong)\r\n") == "a NO [AUTHENTICATIONFAILED] Authentication failed\r\n")
        #expect(conversation.actions.contains(.authenticationFailed(username: "alice")))
        // cancelled
        #expect(await conversation.send("b AUTHENTICATE PLAIN\r\n") == "+ \r\n")
        #expect(await conversation.send("*\r\n") == "b BAD Authentication cancelled\r\n")
        // continuation, literal password via the literal in LOGIN later not needed
        #expect(await conversation.send("c AUTHENTICATE PLAIN\r\n") == "+ \r\n")
        let good = Base64.encode(Array("\0alice\0secret".utf8))
        #expect(await conversation.send("\(good)\r\n").hasPrefix("c OK [CAPABILITY"))
        #expect(await conversation.send("d LOGIN alice secret\r\n") == "d BAD Already authenticated\r\n")
    }

    @Test func commandsOutOfState() async {
        var conversation = Conversation(store: await store())
        #expect(await conversation.send("a SELECT INBOX\r\n") == "a BAD Not authenticated\r\n")
        await conversation.login()
        #expect(await conversation.send("b FETCH 1 FLAGS\r\n") == "b BAD No mailbox selected\r\n")
        #expect(await conversation.send("c FROB\r\n") == "c BAD Unknown command FROB\r\n")
        #expect(await conversation.send("d SEARCH CHARSET KOI8-R ALL\r\n") == "d NO [BADCHARSET (US-ASCII UTF-8 ISO-8859-1)] Unsupported charset KOI8-R\r\n")
    }

    @Test func selectReportsTheMailbox() async {
        var conversation = Conversation(store: await store())
        await conversation.login()
        let reply = await conversation.send("s SELECT inbox\r\n")
        #expect(reply == "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
            + "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted\r\n"
            + "* 2 EXISTS\r\n* 1 RECENT\r\n* OK [UNSEEN 2] First unseen\r\n"
            + "* OK [UIDVALIDITY 1] UIDs valid\r\n* OK [UIDNEXT 3] Predicted next UID\r\n"
            + "* OK [HIGHESTMODSEQ 3] Highest\r\n"
            + "s OK [READ-WRITE] SELECT completed\r\n")
        #expect(conversation.session.phase == .selected(.inbox))
        // RFC 7162 §3.2.11: the selected mailbox is closed first, whatever comes of the SELECT.
        #expect(await conversation.send("e SELECT Nope\r\n") == "* OK [CLOSED] Previous mailbox closed\r\ne NO [NONEXISTENT] Mailbox does not exist\r\n")
        #expect(conversation.session.phase == .authenticated)
        #expect(await conversation.send("x EXAMINE INBOX\r\n").hasSuffix("x OK [READ-ONLY] EXAMINE completed\r\n"))
        #expect(await conversation.send("y STORE 1 +FLAGS (\\Deleted)\r\n") == "y NO [READ-ONLY] Mailbox is read-only\r\n")
    }

    @Test func fetchSetsSeenUnlessPeek() async {
        let mailStore = await store()
        var conversation = Conversation(store: mailStore)
        await conversation.login()
        _ = await conversation.send("s SELECT INBOX\r\n")
        let peek = await conversation.send("f FETCH 2 (UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])\r\n")
        #expect(peek == "* 2 FETCH (UID 2 BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: Hello\r\n\r\n)\r\nf OK FETCH completed\r\n")
        #expect(await mailStore.flags("INBOX")[2] == [])
        let body = await conversation.send("g FETCH 2 BODY[TEXT]\r\n")
        #expect(body == "* 2 FETCH (BODY[TEXT] {10}\r\nHi Alice\r\n FLAGS (\\Seen \\Recent))\r\ng OK FETCH completed\r\n")
        #expect(await mailStore.flags("INBOX")[2] == [.seen])
        let fast = await conversation.send("h UID FETCH 1:* (FLAGS RFC822.SIZE INTERNALDATE)\r\n")
        #expect(fast == "* 1 FETCH (FLAGS (\\Seen) RFC822.SIZE 118 INTERNALDATE \" 9-Sep-2001 01:46:40 +0000\" UID 1)\r\n"
            + "* 2 FETCH (FLAGS (\\Seen \\Recent) RFC822.SIZE 118 INTERNALDATE \" 9-Sep-2001 01:46:40 +0000\" UID 2)\r\n"
            + "h OK UID FETCH completed\r\n")
        #expect(await conversation.send("i FETCH 3 FLAGS\r\n") == "i BAD Invalid message sequence number\r\n")
        #expect(await conversation.send("j UID FETCH 3:5 FLAGS\r\n") == "j OK UID FETCH completed\r\n")
        let envelope = await conversation.send("k FETCH 1 (ENVELOPE BODYSTRUCTURE)\r\n")
        #expect(envelope == "* 1 FETCH (ENVELOPE (\"Mon, 1 Jan 2024 10:00:00 +0000\" \"Hello\" ((\"Bob\" NIL \"bob\" \"example.org\")) "
            + "((\"Bob\" NIL \"bob\" \"example.org\")) ((\"Bob\" NIL \"bob\" \"example.org\")) ((NIL NIL \"alice\" \"example.org\")) "
            + "NIL NIL NIL NIL) BODYSTRUCTURE (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 10 1 NIL NIL NIL NIL))\r\n"
            + "k OK FETCH completed\r\n")
    }

    @Test func storeSearchAndExpunge() async {
        let mailStore = await store(messages: 3)
        var conversation = Conversation(store: mailStore)
        await conversation.login()
        _ = await conversation.send("s SELECT INBOX\r\n")
        #expect(await conversation.send("a STORE 2:3 +FLAGS (\\Deleted $Junk \\Recent)\r\n")
            == "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Junk)\r\n"
            + "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Junk \\*)] Flags permitted\r\n"
            + "* 2 FETCH (FLAGS ($Junk \\Deleted))\r\n* 3 FETCH (FLAGS ($Junk \\Deleted \\Recent))\r\na OK STORE completed\r\n")
        #expect(await conversation.send("b UID STORE 1 FLAGS.SILENT (\\Flagged)\r\n") == "b OK UID STORE completed\r\n")
        #expect(await conversation.send("c SEARCH DELETED\r\n") == "* SEARCH 2 3\r\nc OK SEARCH completed\r\n")
        #expect(await conversation.send("d UID SEARCH OR FLAGGED KEYWORD $junk SUBJECT hello\r\n") == "* SEARCH 1 2 3\r\nd OK UID SEARCH completed\r\n")
        #expect(await conversation.send("e SEARCH SUBJECT goodbye\r\n") == "* SEARCH\r\ne OK SEARCH completed\r\n")
        #expect(await conversation.send("f UID EXPUNGE 3\r\n") == "* 3 EXPUNGE\r\nf OK UID EXPUNGE completed\r\n")
        #expect(await conversation.send("g EXPUNGE\r\n") == "* 2 EXPUNGE\r\ng OK EXPUNGE completed\r\n")
        #expect(await mailStore.flags("INBOX").keys.sorted() == [1])
    }

    @Test func copyAndMove() async {
        let mailStore = await store(messages: 3)
        var conversation = Conversation(store: mailStore)
        await conversation.login()
        _ = await conversation.send("s SELECT INBOX\r\n")
        #expect(await conversation.send("a COPY 1:2 Archive\r\n") == "a OK [COPYUID 2 1:2 1:2] COPY completed\r\n")
        #expect(await conversation.send("b UID MOVE 2:3 Archive\r\n")
            == "* OK [COPYUID 2 2:3 3:4] Moved\r\n* 2 EXPUNGE\r\n* 2 EXPUNGE\r\nb OK UID MOVE completed\r\n")
        #expect(await conversation.send("c COPY 1 Nowhere\r\n") == "c NO [TRYCREATE] Mailbox does not exist\r\n")
        #expect(await conversation.send("d STATUS Archive (MESSAGES UIDNEXT UIDVALIDITY UNSEEN RECENT)\r\n")
            == "* STATUS Archive (MESSAGES 4 UIDNEXT 5 UIDVALIDITY 2 UNSEEN 3 RECENT 0)\r\nd OK STATUS completed\r\n")
        #expect(await conversation.send("e CLOSE\r\n") == "e OK CLOSE completed\r\n")
        #expect(conversation.session.phase == .authenticated)
    }

    @Test func appendInlineAndStreamed() async {
        let mailStore = await store(messages: 0)
        var conversation = Conversation(store: mailStore)
        await conversation.login()
        _ = await conversation.send("s SELECT INBOX\r\n")
        #expect(await conversation.send("a APPEND INBOX (\\Seen) {11}\r\n") == "+ Ready for literal\r\n")
        #expect(await conversation.send("Subject: x\n\r\n") == "* 1 EXISTS\r\n* 0 RECENT\r\na OK [APPENDUID 1 1] APPEND completed\r\n")
        let big = "Subject: big\r\n\r\n" + String(repeating: "0123456789", count: 20) + "\r\n"
        #expect(await conversation.send("b APPEND INBOX \"1-Jan-2024 00:00:00 +0100\" {\(big.utf8.count)}\r\n") == "+ Ready for literal\r\n")
        #expect(await conversation.send(big + "\r\n") == "* 2 EXISTS\r\n* 0 RECENT\r\nb OK [APPENDUID 1 2] APPEND completed\r\n")
        #expect(await mailStore.flags("INBOX") == [1: [.seen], 2: []])
        #expect(await conversation.send("c APPEND Nowhere {\(big.utf8.count)+}\r\n" + big + "\r\n") == "c NO [TRYCREATE] Mailbox does not exist\r\n")
        #expect(await conversation.send("d NOOP\r\n") == "d OK NOOP completed\r\n")
        // A synchronising literal to a missing mailbox is refused before the client sends it.
        #expect(await conversation.send("e APPEND Nowhere {\(big.utf8.count)}\r\n") == "e NO [TRYCREATE] Mailbox does not exist\r\n")
        #expect(conversation.actions.last == .abandonStreamedLiteral)
        #expect(await conversation.send("f NOOP\r\n") == "f OK NOOP completed\r\n")
    }

    @Test func idleReportsNewMail() async {
        let mailStore = await store(messages: 1)
        var conversation = Conversation(store: mailStore)
        await conversation.login()
        _ = await conversation.send("s SELECT INBOX\r\n")
        #expect(await conversation.send("i IDLE\r\n") == "+ idling\r\n")
        await mailStore.deliver("INBOX", Self.message, recent: true)
        let pushed = await conversation.session.mailboxChanged()
        #expect(pushed == [.send(Array("* 2 EXISTS\r\n* 2 RECENT\r\n".utf8))])
        #expect(await conversation.send("done\r\n") == "i OK IDLE terminated\r\n")
        #expect(await conversation.session.mailboxChanged() == [])
    }

    @Test func listMailboxes() async {
        var conversation = Conversation(store: await store(messages: 0))
        await conversation.login()
        #expect(await conversation.send("a LIST \"\" \"\"\r\n") == "* LIST (\\Noselect) \"/\" \"\"\r\na OK LIST completed\r\n")
        #expect(await conversation.send("b LIST \"\" %\r\n")
            == "* LIST (\\HasChildren) \"/\" \"Archive\"\r\n* LIST (\\HasNoChildren) \"/\" \"INBOX\"\r\n"
            + "* LIST (\\Sent \\HasNoChildren) \"/\" \"Sent\"\r\n* LIST (\\Noselect \\HasChildren) \"/\" \"Lists\"\r\nb OK LIST completed\r\n")
        #expect(await conversation.send("c LIST \"\" Archive/*\r\n") == "* LIST (\\HasNoChildren) \"/\" \"Archive/2023\"\r\nc OK LIST completed\r\n")
        #expect(await conversation.send("d LIST (SPECIAL-USE) \"\" *\r\n") == "* LIST (\\Sent \\HasNoChildren) \"/\" \"Sent\"\r\nd OK LIST completed\r\n")
        #expect(await conversation.send("e LIST \"\" inbox\r\n") == "* LIST (\\HasNoChildren) \"/\" \"INBOX\"\r\ne OK LIST completed\r\n")
        #expect(await conversation.send("f CREATE Projects/2.0/\r\n") == "f OK CREATE completed\r\n")
        #expect(await conversation.send("g CREATE a/../b\r\n") == "g NO [CANNOT] Mailbox name may not have '.' or '..' levels\r\n")
        #expect(await conversation.send("h CREATE inbox\r\n") == "h NO [ALREADYEXISTS] Mailbox already exists\r\n")
        #expect(await conversation.send("i DELETE INBOX\r\n") == "i NO [CANNOT] INBOX cannot be deleted\r\n")
        #expect(await conversation.send("j RENAME Archive Old\r\n") == "j OK RENAME completed\r\n")
        #expect(await conversation.send("k UNSUBSCRIBE Old\r\n") == "k OK UNSUBSCRIBE completed\r\n")
        #expect(await conversation.send("l LSUB \"\" O*\r\n") == "l OK LSUB completed\r\n")
        #expect(await conversation.send("m NAMESPACE\r\n") == "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\nm OK NAMESPACE completed\r\n")
        #expect(await conversation.send("n ENABLE CONDSTORE X-UNKNOWN\r\n") == "* ENABLED CONDSTORE\r\nn OK ENABLE completed\r\n")
        #expect(await conversation.send("o ID NIL\r\n") == "* ID (\"name\" \"Facteur\")\r\no OK ID completed\r\n")
    }

    @Test func logoutAndFramingErrors() async {
        var conversation = Conversation(store: await store())
        #expect(await conversation.send("x LOGIN {999999}\r\n") == "x BAD [TOOBIG] Literal of 999999 octets exceeds the limit of 65536\r\n")
        #expect(await conversation.send("a LOGOUT\r\n") == "* BYE Facteur logging out\r\na OK LOGOUT completed\r\n")
        #expect(conversation.actions.last == .close)
        #expect(conversation.session.phase == .logout)
        #expect(await conversation.send("b NOOP\r\n") == "")
    }

    @Test func selectedMailboxDeletedElsewhereEndsTheSessionWithBye() async {
        let store = await store()
        var a = Conversation(store: store), b = Conversation(store: store)
        await a.login(); await b.login()
        #expect(await a.send("s SELECT Archive\r\n").contains("s OK"))
        #expect(await b.send("d DELETE Archive\r\n").contains("d OK"))
        let reply = await a.send("n NOOP\r\nf UID FETCH 1:* (FLAGS)\r\n")
        #expect(reply.hasPrefix("* BYE Selected mailbox was deleted"), "\(reply)")
        #expect(!reply.contains("n OK") && !reply.contains("f "), "\(reply)")
        #expect(a.actions.contains(.close))
        #expect(a.session.phase == .logout)
    }

    @Test func selectedMailboxRecreatedElsewhereEndsTheSessionWithBye() async {
        let store = await store()
        var a = Conversation(store: store), b = Conversation(store: store)
        await a.login(); await b.login()
        #expect(await a.send("s SELECT Archive\r\n").contains("s OK"))
        _ = await b.send("d DELETE Archive\r\nc CREATE Archive\r\n")
        let reply = await a.send("n NOOP\r\n")
        #expect(reply.hasPrefix("* BYE Selected mailbox was recreated"), "\(reply)")
        #expect(a.actions.contains(.close))
    }

    @Test func idleSessionWhoseMailboxIsDeletedIsToldBye() async {
        let store = await store()
        var a = Conversation(store: store), b = Conversation(store: store)
        await a.login(); await b.login()
        _ = await a.send("s SELECT Archive\r\ni IDLE\r\n")
        _ = await b.send("d DELETE Archive\r\n")
        let actions = await a.session.mailboxChanged()
        #expect(actions.contains(.close))
        #expect(a.session.phase == .logout)
    }
}
