import Foundation
import Testing

/// Trickling does not keep a connection (issue #12, finding 3), with short timeouts in the
/// configuration: a command line must be complete within command_timeout of its first byte,
/// and a session spends at most session_timeout outside a message.
@Suite(.serialized)
struct TricklingEndToEndTests {
    static func server() throws -> TestServer {
        let s = try TestServer(smtp: "greeting_timeout = \"2s\"\ncommand_timeout = \"2s\"\nsession_timeout = \"4s\"")
        try s.start()
        return s
    }

    @Test func oneByteAtATimeDoesNotRestartTheCommandTimeout() throws {
        let s = try Self.server()
        defer { s.stop() }
        let r = try guardScenario("trickle", s, ["port": s.smtpPort, "source": "127.0.0.40", "payload": "EHLO trickler.example.",
                                                  "every": 0.5, "limit": 15])
        #expect((r["told"] as? String)?.contains("421 4.4.2") == true, "\(r)")
        let seconds = r["seconds"] as? Double ?? 99
        #expect(seconds < 5, "\(r)")
    }

    @Test func completeUselessCommandsEndAtTheSessionLimit() throws {
        let s = try Self.server()
        defer { s.stop() }
        let r = try guardScenario("trickle", s, ["port": s.smtpPort, "source": "127.0.0.41", "payload": "NOOP\r\n",
                                                  "every": 0.2, "limit": 15])
        let told = r["told"] as? String ?? ""
        #expect(told.contains("250") && told.contains("421 4.4.2"), "\(r)")
        let seconds = r["seconds"] as? Double ?? 99
        #expect(seconds >= 3 && seconds < 8, "\(r)")
    }
}
