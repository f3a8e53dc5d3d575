import FacteurTestSupport
import Testing
@testable import FacteurPOP3Core

/// Every command in every state: the table of RFC 1939 §4–§7 as seen by the client.
@Suite struct POP3SessionStateTableTests {
    enum Start: String, CaseIterable, Sendable {
        case authorization, gotUser, transaction, update, closed

        func session() -> POP3Session {
            switch self {
            case .authorization: return makeSession()
            case .gotUser:
                var s = makeSession(); _ = s.send("USER alice"); return s
            case .transaction: return loggedInSession()
            case .update:
                var s = loggedInSession(); _ = s.send("DELE 1"); _ = s.send("QUIT"); return s
            case .closed:
                var s = makeSession(); _ = s.send("QUIT"); return s
            }
        }
    }

    static let capa = POP3Action.replyMultiline("+OK capability list follows", [
        "TOP", "UIDL", "USER", "RESP-CODES", "AUTH-RESP-CODE", "SASL PLAIN", "PIPELINING", "IMPLEMENTATION Facteur"])
    static let bye: [POP3Action] = [.reply("+OK mail.example.com POP3 server signing off"), .close]
    static let retr1 = POP3Action.sendMessage(MessageInfo(index: 1, uid: "u1", size: 100), topLines: nil)
    static let plainIR = "AGFsaWNlAHNlY3JldA=="   // \0alice\0secret

    static let table: [(Start, String, [POP3Action])] = [
        // AUTHORIZATION
        (.authorization, "USER alice", [.reply("+OK send PASS")]),
        (.authorization, "PASS secret", [.reply("-ERR USER first")]),
        (.authorization, "AUTH PLAIN", [.continuation("")]),
        (.authorization, "AUTH PLAIN \(plainIR)", [.authenticate(user: "alice", password: "secret".bytes)]),
        (.authorization, "AUTH CRAM-MD5", [.reply("-ERR unsupported SASL mechanism")]),
        (.authorization, "AUTH", [.replyMultiline("+OK SASL mechanisms follow", ["PLAIN"])]),
        (.authorization, "STLS", [.reply("-ERR already using TLS")]),
        (.authorization, "CAPA", [capa]),
        (.authorization, "STAT", [.reply("-ERR STAT not valid before login")]),
        (.authorization, "LIST", [.reply("-ERR LIST not valid before login")]),
        (.authorization, "LIST 1", [.reply("-ERR LIST not valid before login")]),
        (.authorization, "RETR 1", [.reply("-ERR RETR not valid before login")]),
        (.authorization, "DELE 1", [.reply("-ERR DELE not valid before login")]),
        (.authorization, "NOOP", [.reply("-ERR NOOP not valid before login")]),
        (.authorization, "RSET", [.reply("-ERR RSET not valid before login")]),
        (.authorization, "TOP 1 0", [.reply("-ERR TOP not valid before login")]),
        (.authorization, "UIDL", [.reply("-ERR UIDL not valid before login")]),
        (.authorization, "UIDL 1", [.reply("-ERR UIDL not valid before login")]),
        (.authorization, "QUIT", bye),
        (.authorization, "XYZZY", [.reply("-ERR unknown command")]),
        // AUTHORIZATION after USER
        (.gotUser, "PASS secret", [.authenticate(user: "alice", password: "secret".bytes)]),
        (.gotUser, "USER bob", [.reply("+OK send PASS")]),
        (.gotUser, "STAT", [.reply("-ERR STAT not valid before login")]),
        (.gotUser, "QUIT", bye),
        // TRANSACTION
        (.transaction, "USER alice", [.reply("-ERR USER not valid after login")]),
        (.transaction, "PASS secret", [.reply("-ERR PASS not valid after login")]),
        (.transaction, "AUTH PLAIN", [.reply("-ERR AUTH not valid after login")]),
        (.transaction, "STLS", [.reply("-ERR STLS not valid after login")]),
        (.transaction, "CAPA", [capa]),
        (.transaction, "STAT", [.reply("+OK 2 300")]),
        (.transaction, "LIST", [.replyMultiline("+OK 2 messages (300 octets)", ["1 100", "2 200"])]),
        (.transaction, "LIST 2", [.reply("+OK 2 200")]),
        (.transaction, "LIST 3", [.reply("-ERR no such message")]),
        (.transaction, "LIST 0", [.reply("-ERR no such message")]),
        (.transaction, "RETR 1", [retr1]),
        (.transaction, "RETR 99999999999999999999", [.reply("-ERR no such message")]),
        (.transaction, "DELE 1", [.reply("+OK message 1 deleted")]),
        (.transaction, "NOOP", [.reply("+OK")]),
        (.transaction, "RSET", [.reply("+OK maildrop has 2 messages (300 octets)")]),
        (.transaction, "TOP 2 5", [.sendMessage(MessageInfo(index: 2, uid: "u2", size: 200), topLines: 5)]),
        (.transaction, "UIDL", [.replyMultiline("+OK unique-id listing follows", ["1 u1", "2 u2"])]),
        (.transaction, "UIDL 2", [.reply("+OK 2 u2")]),
        (.transaction, "QUIT", bye),
        (.transaction, "XYZZY", [.reply("-ERR unknown command")]),
        (.transaction, "RETR", [.reply("-ERR syntax error in RETR arguments")]),
        // UPDATE and closed: nothing more is processed.
        (.update, "STAT", []), (.update, "QUIT", []), (.update, "RSET", []),
        (.closed, "USER alice", []), (.closed, "CAPA", []), (.closed, "QUIT", []),
    ]

    @Test(arguments: table)
    func command(start: Start, line: String, expected: [POP3Action]) {
        var session = start.session()
        #expect(session.send(line) == expected)
    }

    /// Every verb was tried in the main states (guards against a forgotten row).
    @Test func tableCoversEveryVerbInAuthorizationAndTransaction() {
        let verbs = ["USER", "PASS", "AUTH", "STLS", "CAPA", "STAT", "LIST", "RETR", "DELE", "NOOP", "RSET", "TOP", "UIDL", "QUIT"]
        for start in [Start.authorization, .transaction] {
            let covered = Set(Self.table.filter { $0.0 == start }.map { String($0.1.prefix { $0 != " " }) })
            #expect(covered.isSuperset(of: verbs), "\(start)")
        }
    }

    @Test func greetingAndStateNames() {
        var session = makeSession()
        #expect(session.start() == [.reply("+OK mail.example.com POP3 server ready")])
        #expect(session.stateName == "AUTHORIZATION")
        #expect(session.user == nil)
        session = loggedInSession()
        #expect(session.stateName == "TRANSACTION")
        #expect(session.user == "alice")
        #expect(Start.update.session().stateName == "UPDATE")
        #expect(Start.closed.session().stateName == "CLOSED")
    }

    @Test func lastVerbIsReportedForEvents() {
        var session = loggedInSession()
        _ = session.send("retr 1")
        #expect(session.lastVerb == "RETR")
        _ = session.send("bogus")
        #expect(session.lastVerb == nil)
    }
}
