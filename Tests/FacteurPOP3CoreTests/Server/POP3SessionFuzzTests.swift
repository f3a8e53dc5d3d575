import FacteurTestSupport
import Testing
@testable import FacteurPOP3Core

/// The session behind the edge's framer: pipelined input in one packet or in random splits gives
/// the same actions; random input never traps and always ends in bounded time.
@Suite struct POP3SessionFramedTests {
    static func drive(_ chunks: [[UInt8]]) -> [POP3Action] {
        var session = makeSession()
        var framer = LineFramer(maximumLineLength: POP3Limits.standard.framedLineLength)
        var actions: [POP3Action] = []
        for chunk in chunks {
            framer.append(chunk)
            while let frame = framer.next() {
                let produced: [POP3Action]
                switch frame {
                case .line(let line): produced = session.receive(line: line)
                case .overflow: produced = session.receiveOverflow()
                }
                actions += produced
                // The edge answers authentication as soon as it is asked.
                if produced.contains(where: { if case .authenticate = $0 { true } else { false } }) {
                    actions += session.authResult(success: true, maildrop: twoMessages, inUse: false)
                }
            }
        }
        return actions
    }

    static let client = "CAPA\r\nUSER alice\r\nPASS secret\r\nSTAT\r\nUIDL\r\nTOP 1 0\r\nDELE 1\r\nLIST\r\nQUIT\r\n".bytes

    @Test func pipelinedPacketAndRandomSplitsAgree() {
        let expected = Self.drive([Self.client])
        #expect(expected.last == .commitDeletions(["u1"]))
        #expect(expected.count == 11)
        var random = SeededRandom(seed: 99)
        for _ in 0..<100 {
            #expect(Self.drive(randomSplits(Self.client, using: &random)) == expected)
        }
    }

    @Test func randomInputNeverTraps() {
        var random = SeededRandom(seed: 2026)
        let vocabulary = ["USER a", "PASS b", "AUTH PLAIN", "AUTH PLAIN AGEAYg==", "*", "STLS", "CAPA", "STAT", "LIST", "LIST 1",
                          "RETR 2", "DELE 1", "NOOP", "RSET", "TOP 1 3", "UIDL", "UIDL 9", "QUIT", "", "\u{0}\u{FF}", "RETR 999999999999999999999"]
        for _ in 0..<300 {
            var session = makeSession(tls: Bool.random(using: &random), plaintext: Bool.random(using: &random))
            for _ in 0..<40 {
                let line: [UInt8]
                if Bool.random(using: &random) {
                    line = vocabulary.randomElement(using: &random)!.bytes
                } else {
                    line = (0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                }
                let actions = session.receive(line: line)
                if actions.contains(where: { if case .authenticate = $0 { true } else { false } }) {
                    _ = session.authResult(success: Bool.random(using: &random), maildrop: twoMessages, inUse: false)
                }
                if actions.contains(.startTLS) { _ = session.tlsEstablished() }
                if case .update = session.state { _ = session.commitResult(success: true) }
            }
            #expect(session.badCommands <= POP3Limits.standard.badCommands)
        }
    }

    @Test func manyDeletionsStayCheap() {
        let messages = (1...20_000).map { MessageInfo(index: $0, uid: "u\($0)", size: 10) }
        var session = loggedInSession(messages)
        for n in 1...20_000 { _ = session.send("DELE \(n)") }
        #expect(session.send("QUIT") == [.commitDeletions(messages.map(\.uid))])
    }
}
