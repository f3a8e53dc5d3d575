import Foundation
import FacteurTestSupport
import Testing
@testable import FacteurCollect

/// The IMAP collection client driven by realistic server transcripts (RFC 3501 §8 style), fed
/// whole, byte by byte and split at random points, including inside literals.
@Suite struct IMAPCollectionClientTests {
    enum Step {
        case server(String)          // raw server bytes, CRLFs included
        case request(IMAPClientCommand)
        case tlsDone
    }

    struct Outcome: Equatable {
        var wire: [String] = []
        var events: [IMAPClientEvent] = []
    }

    static func run(_ script: [Step], _ configuration: IMAPClientConfiguration, seed: UInt64?) -> Outcome {
        var client = IMAPCollectionClient(configuration: configuration)
        var outcome = Outcome()
        var random = SeededRandom(seed: seed ?? 0)
        func record(_ events: [IMAPClientEvent]) {
            for event in events {
                if case .send(let bytes) = event { outcome.wire.append(bytes.text) } else { outcome.events.append(event) }
            }
        }
        for step in script {
            switch step {
            case .server(let text):
                let chunks = seed == nil ? [text.bytes] : randomSplits(text.bytes, using: &random)
                for chunk in chunks { record(client.receive(chunk)) }
            case .request(let command):
                do { outcome.wire.append(try client.request(command).text) } catch { outcome.events.append(.commandFailed(command, reason: "\(error)")) }
            case .tlsDone:
                record(client.tlsEstablished())
            }
        }
        return outcome
    }

    static func check(_ script: [Step], _ configuration: IMAPClientConfiguration, _ expected: Outcome,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run(script, configuration, seed: nil) == expected, sourceLocation: sourceLocation)
        for seed in 1...60 as ClosedRange<UInt64> {
            #expect(run(script, configuration, seed: seed) == expected, "seed \(seed)", sourceLocation: sourceLocation)
        }
    }

    static let firstMessage = "Return-Path: <a@example.org>\r\nSubject: one\r\n\r\nHello {5}\r\n)\r\n"
    static let secondMessage = "Subject: two\r\n\r\n* 3 FETCH looks like a response\r\n"

    @Test func startTLSLoginSelectSearchFetchDeleteLogout() {
        let config = IMAPClientConfiguration(user: "alice", password: #"sec"ret\"#, security: .startTLS)
        let script: [Step] = [
            .server("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] server ready\r\n"),
            .server("C1 OK Begin TLS negotiation now\r\n"),
            .tlsDone,
            .server("* CAPABILITY IMAP4rev1 IDLE\r\nC2 OK LOGIN completed\r\n"),
            .server("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* 2 EXISTS\r\n* 0 RECENT\r\n"
                    + "* OK [UNSEEN 1] first unseen\r\n* OK [UIDVALIDITY 3857529045] UIDs valid\r\n"
                    + "* OK [UIDNEXT 4392] Predicted next UID\r\n* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n"
                    + "C3 OK [READ-WRITE] SELECT completed\r\n"),
            .request(.search),
            .server("* SEARCH 4390 4391\r\nC4 OK SEARCH completed\r\n"),
            .request(.fetch(uid: 4390)),
            .server("* 1 FETCH (UID 4390 INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" BODY[] {\(Self.firstMessage.utf8.count)}\r\n\(Self.firstMessage))\r\n"
                    + "C5 OK FETCH completed\r\n"),
            .request(.fetch(uid: 4391)),
            .server("* 2 FETCH (BODY[] {\(Self.secondMessage.utf8.count)}\r\n\(Self.secondMessage) UID 4391)\r\n* 2 FETCH (FLAGS (\\Seen))\r\n"
                    + "* 2 FETCH (UID 4391 INTERNALDATE \" 1-Jan-2020 00:00:00 +0000\")\r\nC6 OK FETCH completed\r\n"),
            .request(.delete(uids: [4391, 4390])),
            .server("C7 OK STORE completed\r\n"),
            .server("* 1 EXPUNGE\r\n* 1 EXPUNGE\r\nC8 OK EXPUNGE completed\r\n"),
            .request(.logout),
            .server("* BYE IMAP4rev1 Server logging out\r\nC9 OK LOGOUT completed\r\n"),
        ]
        let expected = Outcome(
            wire: [
                "C1 STARTTLS\r\n",
                #"C2 LOGIN "alice" "sec\"ret\\""# + "\r\n",
                "C3 SELECT \"INBOX\"\r\n",
                "C4 UID SEARCH ALL\r\n",
                "C5 UID FETCH 4390 (BODY.PEEK[] INTERNALDATE)\r\n",
                "C6 UID FETCH 4391 (BODY.PEEK[] INTERNALDATE)\r\n",
                "C7 UID STORE 4390:4391 +FLAGS.SILENT (\\Deleted)\r\n",
                "C8 EXPUNGE\r\n",
                "C9 LOGOUT\r\n",
            ],
            events: [
                .startTLS,
                .ready(uidValidity: 3857529045, exists: 2),
                .searchResult([4390, 4391]),
                .message(uid: 4390, internalDate: Date(timeIntervalSince1970: 837_596_665), content: Self.firstMessage.bytes),
                .message(uid: 4391, internalDate: Date(timeIntervalSince1970: 1_577_836_800), content: Self.secondMessage.bytes),
                .deleted([4391, 4390]),
                .finished, .close,
            ])
        Self.check(script, config, expected)
    }

    @Test func literalLoginAndFailuresThatKeepTheConnection() {
        let config = IMAPClientConfiguration(user: "bob", password: "pässword", security: .implicitTLS)
        let script: [Step] = [
            .server("* OK ready\r\n"),
            .server("+ Ready for literal data\r\n"),
            .server("C1 OK logged in\r\n"),
            .server("* 0 EXISTS\r\nC2 OK [READ-ONLY] done\r\n"),
            .request(.search),
            .server("* SEARCH\r\nC3 OK\r\n"),
            .request(.fetch(uid: 9)),
            .server("C4 OK FETCH completed\r\n"),
            .request(.fetch(uid: 10)),
            .server("* 1 FETCH (UID 10 BODY[] NIL)\r\nC5 NO message gone\r\n"),
            .request(.delete(uids: [1, 2, 3, 7])),
            .server("C6 NO [READ-ONLY] mailbox is read-only\r\n"),
            .request(.fetch(uid: 11)),
            .server("* 1 FETCH (UID 11 BODY[] \"tiny\")\r\nC7 OK\r\n"),
        ]
        let expected = Outcome(
            wire: ["C1 LOGIN \"bob\" {9}\r\n", "pässword\r\n", "C2 SELECT \"INBOX\"\r\n", "C3 UID SEARCH ALL\r\n",
                   "C4 UID FETCH 9 (BODY.PEEK[] INTERNALDATE)\r\n", "C5 UID FETCH 10 (BODY.PEEK[] INTERNALDATE)\r\n",
                   "C6 UID STORE 1:3,7 +FLAGS.SILENT (\\Deleted)\r\n", "C7 UID FETCH 11 (BODY.PEEK[] INTERNALDATE)\r\n"],
            events: [
                .ready(uidValidity: nil, exists: 0),
                .searchResult([]),
                .commandFailed(.fetch(uid: 9), reason: "message not returned (expunged?)"),
                .commandFailed(.fetch(uid: 10), reason: "message gone"),
                .commandFailed(.delete(uids: [1, 2, 3, 7]), reason: "[READ-ONLY] mailbox is read-only"),
                .message(uid: 11, internalDate: nil, content: "tiny".bytes),
            ])
        Self.check(script, config, expected)
    }

    @Test func preauthSkipsLogin() {
        let config = IMAPClientConfiguration(user: "u", password: "p", security: .none)
        let outcome = Self.run([.server("* PREAUTH welcome\r\n"), .server("* OK [UIDVALIDITY 5]\r\nC1 OK\r\n")], config, seed: nil)
        #expect(outcome.wire == ["C1 SELECT \"INBOX\"\r\n"])
        #expect(outcome.events == [.ready(uidValidity: 5, exists: 0)])
    }

    @Test(arguments: [
        (CollectionSecurity.startTLS, ["* PREAUTH hi\r\n"], IMAPClientError.tlsUnavailable("PREAUTH greeting, STARTTLS impossible")),
        (.startTLS, ["* OK hi\r\n", "C1 BAD no TLS here\r\n"], .tlsUnavailable("no TLS here")),
        (.implicitTLS, ["* BYE too busy\r\n"], .greetingRejected("too busy")),
        (.implicitTLS, ["* OK hi\r\n", "C1 NO [AUTHENTICATIONFAILED] bad\r\n"], .authenticationFailed("[AUTHENTICATIONFAILED] bad")),
        (.implicitTLS, ["* OK hi\r\n", "C1 OK\r\n", "C2 NO no such mailbox\r\n"], .selectFailed("no such mailbox")),
        (.implicitTLS, ["* OK hi\r\n", "C1 OK\r\n", "C2 OK\r\n", "* BYE shutting down\r\n"], .closedByServer("shutting down")),
        (.implicitTLS, ["* OK hi\r\n", "X9 OK what\r\n"], .protocolViolation("unexpected response")),
        (.implicitTLS, ["* OK hi\r\n", "+ go ahead\r\n"], .protocolViolation("unexpected continuation")),
        (.startTLS, ["* OK hi\r\n", "C1 OK go\r\n* OK injected\r\n"], .protocolViolation("data after STARTTLS response")),
    ])
    func failures(security: CollectionSecurity, server: [String], error: IMAPClientError) {
        let config = IMAPClientConfiguration(user: "u", password: "p", security: security)
        let outcome = Self.run(server.map { .server($0) }, config, seed: nil)
        #expect(outcome.events.suffix(2) == [.failed(error), .close])
    }

    @Test func oversizeLiteralFails() {
        let config = IMAPClientConfiguration(user: "u", password: "p", security: .implicitTLS,
                                             limits: CollectionClientLimits(messageSize: 10))
        let outcome = Self.run([.server("* OK\r\n"), .server("C1 OK\r\n"), .server("C2 OK\r\n"), .request(.fetch(uid: 1)),
                                .server("* 1 FETCH (UID 1 BODY[] {11}\r\n")], config, seed: nil)
        #expect(outcome.events.suffix(2) == [.failed(.literalTooLarge(11)), .close])
    }

    @Test func requestErrors() {
        var client = IMAPCollectionClient(configuration: IMAPClientConfiguration(user: "u", password: "p", security: .none))
        #expect(throws: IMAPCollectionClient.RequestError.notReady) { try client.request(.search) }
        _ = client.receive("* PREAUTH\r\nC1 OK\r\n".bytes)
        #expect(client.isReady)
        #expect(throws: IMAPCollectionClient.RequestError.emptyUIDSet) { try client.request(.delete(uids: [])) }
    }
}
