import FacteurCore
@testable import FacteurServer
import FacteurStore
import Foundation
import NIOCore
import NIOEmbedded
import NIOPosix
import Synchronization
import Testing

/// `IMAPHandler` with its session on a `NIOAsyncTestingChannel` (a thread-safe loop whose clock
/// the test moves): events for commands and logins, the per-connection login limit, the IDLE
/// timeout, and an IDLE session told of a delivery at once.
@Suite(.timeLimit(.minutes(1)))
struct IMAPHandlerSessionTests {
    final class Recorder: Sendable {
        private let kinds = Mutex<[ServerEvent.Kind]>([])
        func append(_ k: ServerEvent.Kind) { kinds.withLock { $0.append(k) } }
        var all: [ServerEvent.Kind] { kinds.withLock { $0 } }

        /// (verb, code) of the IMAP command events.
        var commands: [String] {
            all.compactMap { if case .command(_, .imap, _, let v, let c) = $0 { "\(v) \(c)" } else { nil } }
        }
    }

    final class Harness: HandlerHarness, @unchecked Sendable {
        let events = Recorder()

        init(remoteAddress: String = "127.0.0.1") async throws {
            let hub = EventHub()
            hub.subscribe { [events] e in events.append(e.kind) }
            let info = ConnectionInfo(id: ConnectionID(7), service: .imap, remoteAddress: remoteAddress, remotePort: 40000,
                                      localAddress: "127.0.0.1:143", tls: false, opened: Date())
            try await super.init(name: "imap-session", gate: OpenGate(), hub: hub, port: 143, greetingEnd: "ready\r\n") { channel, ctx in
                try channel.pipeline.syncOperations.addHandler(IMAPHandler(service: IMAPService(context: ctx), info: info))
            }
        }
    }

    @Test func commandAndLoginEvents() async throws {
        let h = try await Harness()
        try await h.send("a1 LOGIN alice@example.test wrong\r\n")
        #expect(try await h.until("a1 ").contains("a1 NO [AUTHENTICATIONFAILED]"))
        try await h.send("a2 LOGIN alice pw\r\n")
        #expect(try await h.until("a2 ").contains("a2 OK"))
        try await h.send("a3 SELECT INBOX\r\n")
        #expect(try await h.until("a3 ").contains("a3 OK [READ-WRITE]"))
        try await h.send("a4 FROBNICATE\r\n")
        #expect(try await h.until("a4 ").contains("a4 BAD"))
        try await h.send("a5 UID FETCH 1:* FLAGS\r\n")
        #expect(try await h.until("a5 ").contains("a5 OK"))
        #expect(h.events.commands == ["LOGIN 1", "LOGIN 0", "SELECT 0", "FROBNICATE 2", "UID FETCH 0"])
        let kinds = h.events.all
        let failed = kinds.compactMap { if case .authFailed(_, .imap, _, let u, let d) = $0 { (u, d) } else { nil } }
        #expect(failed.count == 1 && failed.first?.0 == "alice@example.test" && failed.first?.1 == LoginDigest.digest("wrong"))
        #expect(kinds.contains { if case .rejected(let r) = $0 { r.rule == "auth" } else { false } })
        #expect(kinds.contains { if case .authSucceeded(_, .imap, _, "alice@example.test") = $0 { true } else { false } })
        #expect(kinds.contains { if case .connectionUpdated(_, "alice@example.test", "SELECT", _, _) = $0 { true } else { false } })
        // The session's FacteurMailStore folders were made at the first login.
        #expect(FileManager.default.fileExists(atPath: h.dir + "/facteur-data/mail/example.test/alice/.Sent/cur"))
        await h.shutdown()
    }

    @Test func threeFailedLoginsEndTheConnection() async throws {
        let h = try await Harness()
        let n = IMAPServerLimits.maxFailedLogins
        for i in 1..<n {
            try await h.send("t\(i) LOGIN alice bad\(i)\r\n")
            _ = try await h.until("t\(i) NO")
        }
        try await h.send("t\(n) LOGIN alice bad\(n)\r\n")
        let last = try await h.until("* BYE")
        #expect(last.contains("t\(n) NO [AUTHENTICATIONFAILED]") && last.contains("* BYE Too many failed logins"), "\(last)")
        try await h.channel.closeFuture.get()
        #expect(h.events.all.filter { if case .authFailed = $0 { true } else { false } }.count == IMAPServerLimits.maxFailedLogins)
        await h.shutdown()
    }

    @Test func idleHearsOfChangesAndTimesOut() async throws {
        let h = try await Harness()
        try await h.send("a LOGIN alice pw\r\n")
        _ = try await h.until("a OK")
        try await h.send("b SELECT INBOX\r\n")
        _ = try await h.until("b OK")
        try await h.send("c IDLE\r\n")
        _ = try await h.until("+ idling\r\n")
        // Another writer (SMTP delivery, another session): the IDLE session is told at once.
        _ = try h.context.mailStore.append(owner: "alice@example.test", mailbox: "INBOX", source: .bytes(Array("Subject: hi\r\n\r\nx\r\n".utf8)))
        #expect(try await h.until("RECENT\r\n").contains("* 1 EXISTS\r\n"))
        // RFC 2177: clients re-IDLE within 29 minutes; silence beyond the IDLE limit ends the connection.
        await h.channel.testingEventLoop.advanceTime(by: IMAPServerLimits.idleLimit - .seconds(1))
        #expect(h.channel.isActive)
        await h.channel.testingEventLoop.advanceTime(by: .seconds(2))
        #expect(try await h.until("\r\n").hasPrefix("* BYE Autologout"))
        await h.shutdown()
    }
}
