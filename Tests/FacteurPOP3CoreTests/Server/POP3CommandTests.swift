import FacteurTestSupport
import Testing
@testable import FacteurPOP3Core

@Suite struct POP3CommandTests {
    typealias R = Result<POP3Command, POP3Command.ParseError>

    @Test(arguments: [
        ("USER alice", R.success(.user("alice"))),
        ("user alice@example.com\r\n", .success(.user("alice@example.com"))),
        ("PASS secret with spaces", .success(.pass("secret with spaces".bytes))),
        ("PASS  leading", .success(.pass(" leading".bytes))),
        ("PASS pässwörd", .success(.pass("pässwörd".bytes))),
        ("AUTH", .success(.auth(mechanism: nil, initialResponse: nil))),
        ("AUTH plain", .success(.auth(mechanism: "PLAIN", initialResponse: nil))),
        ("AUTH PLAIN AGEAYg==", .success(.auth(mechanism: "PLAIN", initialResponse: "AGEAYg==".bytes))),
        ("STLS", .success(.stls)),
        ("CAPA", .success(.capa)),
        ("STAT", .success(.stat)),
        ("LIST", .success(.list(nil))),
        ("LIST 3", .success(.list(3))),
        ("LIST  3", .success(.list(3))),
        ("RETR 1", .success(.retr(1))),
        ("retr 1\n", .success(.retr(1))),
        ("DELE 2", .success(.dele(2))),
        ("NOOP", .success(.noop)),
        ("RSET", .success(.rset)),
        ("QUIT", .success(.quit)),
        ("TOP 1 10", .success(.top(1, lines: 10))),
        ("UIDL", .success(.uidl(nil))),
        ("UIDL 9", .success(.uidl(9))),
        ("RETR 99999999999999999999999", .success(.retr(Int.max))),
        // failures
        ("", .failure(.empty)),
        ("\r\n", .failure(.empty)),
        ("XYZZY", .failure(.unknown(verb: "XYZZY"))),
        ("APOP mrose c4c9334bac560ecc979e58001b3e22fb", .failure(.unknown(verb: "APOP"))),
        ("STAT 1", .failure(.syntax(verb: "STAT"))),
        ("RETR", .failure(.syntax(verb: "RETR"))),
        ("RETR x", .failure(.syntax(verb: "RETR"))),
        ("RETR -1", .failure(.syntax(verb: "RETR"))),
        ("LIST 1 2", .failure(.syntax(verb: "LIST"))),
        ("TOP 1", .failure(.syntax(verb: "TOP"))),
        ("USER", .failure(.syntax(verb: "USER"))),
        ("PASS", .failure(.syntax(verb: "PASS"))),
        ("AUTH PLAIN a b", .failure(.syntax(verb: "AUTH"))),
        ("USER a\u{1}b", .failure(.invalidCharacters)),
        ("RETR 1\u{7}", .failure(.invalidCharacters)),
    ])
    func parse(line: String, expected: R) {
        #expect(POP3Command.parse(line.bytes) == expected)
    }

    @Test func lineLengthLimits() {
        let limits = POP3Limits(commandLineLength: 20, saslLineLength: 40)
        #expect(POP3Command.parse(("USER " + String(repeating: "a", count: 15)).bytes, limits: limits) == .success(.user(String(repeating: "a", count: 15))))
        #expect(POP3Command.parse(("USER " + String(repeating: "a", count: 16)).bytes, limits: limits) == .failure(.tooLong))
        // AUTH lines get the SASL allowance.
        let auth = "AUTH PLAIN " + String(repeating: "A", count: 28)
        #expect(POP3Command.parse(auth.bytes, limits: limits) == .success(.auth(mechanism: "PLAIN", initialResponse: Array(repeating: UInt8(ascii: "A"), count: 28))))
        #expect(POP3Command.parse((auth + "AA").bytes, limits: limits) == .failure(.tooLong))
    }
}
