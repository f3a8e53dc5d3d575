import Foundation
import Testing

/// Runs a guard_scenarios.py scenario with JSON arguments.
func guardScenario(_ name: String, _ server: TestServer, _ args: [String: Any], timeout: TimeInterval = 120) throws -> [String: Any] {
    let json = String(decoding: try JSONSerialization.data(withJSONObject: args), as: UTF8.self)
    let r = try TestProcess.python("guard_scenarios.py", [name, json], timeout: timeout)
    guard r.status == 0, let line = r.out.split(separator: "\n").last,
          let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        throw TestFailure("\(name) failed (\(r.status)): \(r.out) \(r.err)\nserver log:\n\(server.log)")
    }
    return obj
}

/// A ban reaches the connections that are already open (issue #12, finding 1): every session
/// of the banned network, on every service, is told its protocol's goodbye and closed at once;
/// passwords are checked against the ban list before they are verified, and each wrong one
/// slows the next from the same address.
@Suite(.serialized)
struct GuardSessionsEndToEndTests {
    static func server(guardExtra: String = "", penalty: String = "0") throws -> TestServer {
        let s = try TestServer(extra: guardExtra, authFailureDelay: penalty)
        // Passwords in plaintext from the loopback test clients (no STLS needed).
        var cfg = try String(contentsOfFile: s.configPath, encoding: .utf8)
        let pop3 = "[pop3]\nlisten = [\"127.0.0.1:0\"]"
        guard cfg.contains(pop3) else { throw TestFailure("TestServer's [pop3] section changed") }
        cfg = cfg.replacingOccurrences(of: pop3, with: pop3 + "\nplaintext_networks = [\"127.0.0.0/8\"]")
        try cfg.write(toFile: s.configPath, atomically: true, encoding: .utf8)
        try s.addUser("alice@example.test")
        try s.start(expect: ["SMTP", "IMAP", "POP3"])
        return s
    }

    static func expectGoodbyes(_ r: [String: Any], reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let goodbyes = r["goodbyes"] as? [String: String] ?? [:]
        #expect(goodbyes["SMTP"]?.hasPrefix("421 4.7.1 Access denied: \(reason)") == true, "\(r)", sourceLocation: sourceLocation)
        #expect(goodbyes["IMAP"]?.hasPrefix("* BYE Access denied: \(reason)") == true, "\(r)", sourceLocation: sourceLocation)
        #expect(goodbyes["POP3"]?.hasPrefix("-ERR Access denied: \(reason)") == true, "\(r)", sourceLocation: sourceLocation)
        // Closed by the server (not left to time out), and at once.
        #expect(goodbyes.values.allSatisfy { !$0.contains("TIMEOUT") }, "\(r)", sourceLocation: sourceLocation)
        #expect((r["seconds"] as? Double ?? 99) < 8, "\(r)", sourceLocation: sourceLocation)
    }

    @Test func automaticBanClosesTheAddressesSessionsOnEveryService() throws {
        let s = try Self.server()
        defer { s.stop() }
        let r = try guardScenario("ban_cuts_sessions", s, ["ports": s.ports, "source": "127.0.0.12",
                                                            "guess": "alice@example.test", "count": 5])
        #expect((r["guesses"] as? [String])?.count == 5, "\(r)")
        Self.expectGoodbyes(r, reason: "5 different wrong passwords")
        #expect((r["after"] as? String)?.hasPrefix("554 5.7.1") == true, "\(r)")
        // The console's stream shows the sessions closed because of the ban.
        let deadline = Date().addingTimeInterval(5)
        while s.log.components(separatedBy: "127.0.0.12 rejected [auth]").count < 4 && Date() < deadline { usleep(50_000) }
        for service in ["smtp", "imap", "pop3"] {
            #expect(s.log.contains("\(service) 127.0.0.12 rejected [auth]: 5 different wrong passwords"), "\(s.log)")
        }
    }

    @Test func manualBanOfANetworkClosesItsSessions() throws {
        let s = try Self.server()
        defer { s.stop() }
        let command = [TestServer.binary, "ban", "127.0.9.0/24", "--reason", "abuse desk", "--config", s.configPath]
        let r = try guardScenario("ban_cuts_sessions", s, ["ports": s.ports, "source": "127.0.9.3", "command": command])
        #expect((r["command"] as? [Any])?.first as? Int == 0, "\(r)")
        Self.expectGoodbyes(r, reason: "abuse desk")
        // Sessions of other addresses are untouched.
        #expect(try greeting(from: "127.0.10.3", s).hasPrefix("220"))
    }

    /// Twenty connections opened in advance, guessing at once: the ban after five distinct
    /// passwords ends all of them, so few guesses are ever verified (was: 40 of 40).
    @Test func guessingOnManyPreopenedConnectionsStopsAtTheBan() throws {
        let s = try Self.server(penalty: "1")
        defer { s.stop() }
        let r = try guardScenario("guess_in_parallel", s, ["port": s.ports["POP3"] ?? 0, "source": "127.0.0.13",
                                                            "user": "alice@example.test", "connections": 20, "per_connection": 2])
        let verified = r["verified_wrong"] as? Int ?? 99
        #expect(verified <= 20, "\(r)")
        let ends = r["ends"] as? [String] ?? []
        #expect(ends.allSatisfy { !$0.hasPrefix("-ERR [AUTH]") }, "\(r)")
        #expect(ends.contains { $0.hasPrefix("-ERR Access denied") }, "\(r)")
        #expect(try bansJSON(s).first?["rule"] as? String == "auth")
    }

    /// Each wrong password from an address is answered later than the one before (1 s, 2 s).
    @Test func wrongPasswordsAreAnsweredAfterAGrowingDelay() throws {
        let s = try Self.server(guardExtra: "[guard]\nauth_failure_delay_max = \"10s\"\n", penalty: "1")
        defer { s.stop() }
        let start = Date()
        let r = try pop3Scenario("guess_passwords", s, "alice@example.test", "127.0.0.14", "3")
        let elapsed = Date().timeIntervalSince(start)
        #expect((r["answers"] as? [String])?.count == 3, "\(r)")
        // 1 + 2 + 4 seconds at least.
        #expect(elapsed >= 7, "\(elapsed)")
    }
}
