import FacteurTestSupport
import FacteurPOP3Core
import Testing
@testable import FacteurCollect

/// The collection client driven by realistic server transcripts, fed whole, byte by byte and in
/// random splits: the client's output must not depend on how the bytes arrive.
@Suite struct POP3ClientTests {
    enum Step {
        /// Bytes from the server (CRLF appended to each line given).
        case server([String])
        /// The collector issues a request.
        case request(POP3ClientCommand)
        /// The edge completed the TLS handshake.
        case tlsDone
    }

    enum Split { case whole, bytewise, random(UInt64) }

    struct Outcome: Equatable {
        var wire: [String] = []          // what the client wrote, in order
        var events: [POP3ClientEvent] = []  // everything except .send
    }

    static func run(_ script: [Step], _ configuration: POP3ClientConfiguration, split: Split) -> Outcome {
        var client = POP3Client(configuration: configuration)
        var outcome = Outcome()
        var random = SeededRandom(seed: 1)
        if case .random(let seed) = split { random = SeededRandom(seed: seed) }
        func record(_ events: [POP3ClientEvent]) {
            for event in events {
                if case .send(let bytes) = event { outcome.wire.append(bytes.text) } else { outcome.events.append(event) }
            }
        }
        for step in script {
            switch step {
            case .server(let lines):
                let bytes = lines.map { $0 + "\r\n" }.joined().bytes
                let chunks: [[UInt8]]
                switch split {
                case .whole: chunks = [bytes]
                case .bytewise: chunks = bytes.map { [$0] }
                case .random: chunks = randomSplits(bytes, using: &random)
                }
                for chunk in chunks { record(client.receive(chunk)) }
            case .request(let command):
                do { outcome.wire.append(try client.request(command).text) } catch { outcome.events.append(.commandFailed(command, reason: "\(error)")) }
            case .tlsDone:
                record(client.tlsEstablished())
            }
        }
        return outcome
    }

    /// Runs the script with every kind of split and checks they all agree with `expected`.
    static func check(_ script: [Step], _ configuration: POP3ClientConfiguration, _ expected: Outcome,
                      sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run(script, configuration, split: .whole) == expected, sourceLocation: sourceLocation)
        #expect(run(script, configuration, split: .bytewise) == expected, sourceLocation: sourceLocation)
        for seed in 1...40 as ClosedRange<UInt64> {
            #expect(run(script, configuration, split: .random(seed)) == expected, "seed \(seed)", sourceLocation: sourceLocation)
        }
    }

    static let startTLSConfig = POP3ClientConfiguration(user: "alice", password: "secret", security: .startTLS)

    @Test func stlsAuthPlainUidlListRetrDeleQuit() {
        let script: [Step] = [
            .server(["+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>"]),
            .server(["+OK Capability list follows", "TOP", "USER", "SASL PLAIN LOGIN", "STLS", "UIDL", "."]),
            .server(["+OK Begin TLS negotiation"]),
            .tlsDone,
            .server(["+OK", "TOP", "USER", "SASL PLAIN", "UIDL", "."]),
            .server(["+OK Logged in."]),
            .request(.uidl),
            .server(["+OK", "1 whqtswO00WBw418f9t5JxYwZ", "2 QhdPYR:00WBw1Ph7x7", "."]),
            .request(.list),
            .server(["+OK 2 messages (320 octets)", "1 120", "2 200", "."]),
            .request(.retrieve(1)),
            .server(["+OK 120 octets", "Subject: hi", "", "..leading dot", "body", ".."," .", "."]),
            .request(.delete(1)),
            .server(["+OK message 1 deleted"]),
            .request(.quit),
            .server(["+OK dewey POP3 server signing off (1 messages deleted)"]),
        ]
        let expected = Outcome(
            wire: ["CAPA\r\n", "STLS\r\n", "CAPA\r\n", "AUTH PLAIN AGFsaWNlAHNlY3JldA==\r\n",
                   "UIDL\r\n", "LIST\r\n", "RETR 1\r\n", "DELE 1\r\n", "QUIT\r\n"],
            events: [
                .startTLS,
                .ready(capabilities: ["TOP", "USER", "SASL PLAIN", "UIDL"]),
                .uidListing([POP3ListingEntry(index: 1, value: "whqtswO00WBw418f9t5JxYwZ"),
                             POP3ListingEntry(index: 2, value: "QhdPYR:00WBw1Ph7x7")]),
                .sizeListing([POP3ListingEntry(index: 1, value: "120"), POP3ListingEntry(index: 2, value: "200")]),
                .message(index: 1, content: "Subject: hi\r\n\r\n.leading dot\r\nbody\r\n.\r\n .\r\n".bytes),
                .deleted(1),
                .finished, .close,
            ])
        Self.check(script, Self.startTLSConfig, expected)
    }

    @Test func legacyServerWithoutCapaUsesUserPass() {
        let config = POP3ClientConfiguration(user: "bob", password: "pass word", security: .implicitTLS,
                                             limits: CollectionClientLimits(messageSize: 20))
        let script: [Step] = [
            .server(["+OK ready"]),
            .server(["-ERR unknown command"]),
            .server(["+OK bob is welcome here"]),
            .server(["+OK bob's maildrop has 2 messages (320 octets)"]),
            .request(.retrieve(3)),
            .server(["-ERR no such message"]),
            .request(.retrieve(2)),
            .server(["+OK", "this message is longer than twenty octets", "second line", "."]),
            .request(.noop),
            .server(["+OK"]),
            .request(.quit),
            .server(["-ERR [SYS/TEMP] some deleted messages not removed"]),
        ]
        let expected = Outcome(
            wire: ["CAPA\r\n", "USER bob\r\n", "PASS pass word\r\n", "RETR 3\r\n", "RETR 2\r\n", "NOOP\r\n", "QUIT\r\n"],
            events: [
                .ready(capabilities: []),
                .commandFailed(.retrieve(3), reason: "no such message"),
                .commandFailed(.retrieve(2), reason: "message exceeds the size limit"),
                .noop,
                .failed(.quitFailed("some deleted messages not removed")), .close,
            ])
        Self.check(script, config, expected)
    }

    @Test func longCredentialsUseTheContinuation() {
        let password = String(repeating: "p", count: 200)
        let config = POP3ClientConfiguration(user: "alice", password: password, security: .none)
        let response = SASLPlain(user: "alice", password: password.bytes).encodedResponse().text
        let script: [Step] = [
            .server(["+OK hi"]),
            .server(["+OK", "SASL PLAIN", "."]),
            .server(["+ "]),
            .server(["+OK welcome"]),
        ]
        Self.check(script, config, Outcome(wire: ["CAPA\r\n", "AUTH PLAIN\r\n", response + "\r\n"],
                                           events: [.ready(capabilities: ["SASL PLAIN"])]))
    }

    @Test(arguments: [
        ([["-ERR go away"]], POP3ClientError.greetingRejected("go away")),
        ([["+OK"], ["+OK", "."], ["-ERR not now"]], .tlsUnavailable("not now")),
        ([["* OK IMAP4rev1"]], .protocolViolation("unexpected line: * OK IMAP4rev1")),
    ])
    func startFailures(server: [[String]], error: POP3ClientError) {
        let outcome = Self.run(server.map { .server($0) }, Self.startTLSConfig, split: .whole)
        #expect(outcome.events == [.failed(error), .close])
    }

    @Test(arguments: [
        ("-ERR [IN-USE] mailbox locked", POP3ClientError.authenticationFailed(code: "IN-USE", message: "mailbox locked")),
        ("-ERR [AUTH] bad password", .authenticationFailed(code: "AUTH", message: "bad password")),
        ("-ERR nope", .authenticationFailed(code: nil, message: "nope")),
    ])
    func authenticationFailures(line: String, error: POP3ClientError) {
        let config = POP3ClientConfiguration(user: "a", password: "b", security: .implicitTLS)
        let outcome = Self.run([.server(["+OK"]), .server(["+OK", "SASL PLAIN", "."]), .server([line])], config, split: .whole)
        #expect(outcome.events == [.failed(error), .close])
    }

    /// RFC 2595 §4: a response injected behind the STLS +OK in plaintext must not be trusted.
    @Test func plaintextAfterSTLSResponseFails() {
        let outcome = Self.run([.server(["+OK"]), .server(["+OK", "STLS", "."]),
                                .server(["+OK begin TLS", "+OK injected"])], Self.startTLSConfig, split: .whole)
        #expect(outcome.events == [.startTLS, .failed(.protocolViolation("data after STLS response")), .close])
    }

    @Test func malformedListingFailsTheCommandOnly() {
        let config = POP3ClientConfiguration(user: "a", password: "b", security: .implicitTLS)
        let script: [Step] = [
            .server(["+OK"]), .server(["-ERR"]), .server(["+OK"]), .server(["+OK"]),
            .request(.uidl),
            .server(["+OK", "1 good", "2 has space", "3 fine", "."]),
            .request(.uidl),
            .server(["+OK", "x bad", "."]),
            .request(.list),
            .server(["+OK", "1 100 extra", "."]),
        ]
        let outcome = Self.run(script, config, split: .whole)
        #expect(outcome.events == [
            .ready(capabilities: []),
            .commandFailed(.uidl, reason: "bad listing line: 2 has space"),
            .commandFailed(.uidl, reason: "bad listing line: x bad"),
            .sizeListing([POP3ListingEntry(index: 1, value: "100")]),
        ])
    }

    @Test func requestsOutsideReadyAreRefused() {
        var client = POP3Client(configuration: Self.startTLSConfig)
        #expect(throws: POP3Client.RequestError.notReady) { try client.request(.uidl) }
        _ = client.receive("+OK\r\n+OK\r\n.\r\n".bytes)
        #expect(!client.isReady)
    }

    @Test func credentialsWithLineBreaksAreNeverSent() {
        let config = POP3ClientConfiguration(user: "a", password: "x\r\nDELE 1", security: .implicitTLS)
        let outcome = Self.run([.server(["+OK"]), .server(["-ERR"])], config, split: .whole)
        #expect(outcome.wire == ["CAPA\r\n"])
        #expect(outcome.events.first == .failed(.authenticationFailed(code: nil, message: "configured credentials contain control characters")))
    }

    @Test func overlongStatusLineFails() {
        let config = POP3ClientConfiguration(user: "a", password: "b", security: .implicitTLS,
                                             limits: CollectionClientLimits(messageSize: 100, responseLineLength: 10))
        let outcome = Self.run([.server(["+OK this greeting is too long"])], config, split: .whole)
        #expect(outcome.events == [.failed(.lineTooLong), .close])
    }
}
