import FacteurCore
@testable import FacteurServer
import FacteurStore
import Foundation
import NIOCore
import NIOEmbedded
import NIOPosix
import Synchronization
import Testing

/// `IMAPHandler` on a `NIOAsyncTestingChannel` (the handler's session completes on tasks that
/// hop back to the loop, which an EmbeddedChannel does not allow): greeting, refusal, BYE on
/// admin close and shutdown, and the autologout timer driven by the loop's clock (no sleeps).
@Suite(.timeLimit(.minutes(1)))
struct IMAPHandlerTests {
    /// Refuses everyone, as a ban would.
    struct BannedGate: ConnectionGate {
        func admit(remoteAddress: String, service: ServiceKind, connection: ConnectionID) -> GateRefusal? {
            GateRefusal(rule: "auth", reason: "5 different wrong passwords", until: Date(timeIntervalSince1970: 1_800_000_000))
        }
        func slowChecks(remoteAddress: String, service: ServiceKind) async -> GateRefusal? { nil }
        func hasSlowChecks(_ service: ServiceKind) -> Bool { false }
        func connectionClosed(remoteAddress: String, service: ServiceKind, connection: ConnectionID) {}
        func offence(_ offence: SMTPOffence, remoteAddress: String, service: ServiceKind, connection: ConnectionID, evidence: [String]) {}
        func authResult(success: Bool, remoteAddress: String, service: ServiceKind, connection: ConnectionID,
                        user: String, passwordDigest: String) {}
    }

    final class EventBox: Sendable {
        private let kinds = Mutex<[ServerEvent.Kind]>([])
        func append(_ k: ServerEvent.Kind) { kinds.withLock { $0.append(k) } }
        func withLock<T>(_ body: ([ServerEvent.Kind]) -> T) -> T { kinds.withLock { body($0) } }
    }

    final class Harness: HandlerHarness, @unchecked Sendable {
        let events = EventBox()

        init(gate: any ConnectionGate = OpenGate(), remoteAddress: String = "192.0.2.7") async throws {
            let hub = EventHub()
            hub.subscribe { [events] e in events.append(e.kind) }
            let info = ConnectionInfo(id: ConnectionID(1), service: .imap, remoteAddress: remoteAddress, remotePort: 40000,
                                      localAddress: "127.0.0.1:143", tls: false, opened: Date())
            try await super.init(name: "imap-handler", gate: gate, hub: hub, port: 143, greetingEnd: nil) { channel, ctx in
                try channel.pipeline.syncOperations.addHandler(IMAPHandler(service: IMAPService(context: ctx), info: info))
            }
        }

        func output() async throws -> String { try await drain() }
    }

    @Test func greetsWithCapabilitiesAndLoginDisabledOffLoopback() async throws {
        let h = try await Harness()
        let greeting = try await h.until("ready\r\n")
        #expect(greeting.hasPrefix("* OK [CAPABILITY IMAP4rev1 "))
        #expect(greeting.contains("LOGINDISABLED") && !greeting.contains("AUTH=PLAIN") && !greeting.contains("STARTTLS"))
        #expect(greeting.hasSuffix("mail.example.test ready\r\n"))
        #expect(h.events.withLock { $0.contains { if case .connectionOpened(let i) = $0 { i.service == .imap } else { false } } })
        await h.shutdown()
    }

    @Test func notLoggedInWithinThreeMinutesIsLoggedOut() async throws {
        let h = try await Harness()
        _ = try await h.output()
        await h.advanceTime(by: IMAPServerLimits.loginWithin - .seconds(1))
        #expect(try await h.output().isEmpty)
        #expect(h.channel.isActive)
        await h.advanceTime(by: .seconds(2))
        #expect(try await h.output() == "* BYE Autologout: not logged in in time\r\n")
        #expect(!h.channel.isActive)
        #expect(h.events.withLock { $0.contains { if case .connectionClosed = $0 { true } else { false } } })
        await h.shutdown()
    }

    /// Trickling (issue #12): a client that has not logged in is logged out at the login
    /// limit however it trickles the bytes of an unfinished line.
    @Test func tricklingBeforeLoginDoesNotKeepTheConnection() async throws {
        let h = try await Harness()
        _ = try await h.output()
        for _ in 0..<17 {
            await h.advanceTime(by: .seconds(10))
            try await h.channel.writeInbound(ByteBuffer(string: "a"))
        }
        #expect(h.channel.isActive)
        for _ in 0..<2 {
            await h.advanceTime(by: .seconds(10))
            if h.channel.isActive { _ = try? await h.channel.writeInbound(ByteBuffer(string: "a")) }
        }
        #expect(!h.channel.isActive)
        #expect(try await h.output().hasSuffix("* BYE Autologout: not logged in in time\r\n"))
        await h.shutdown()
    }

    @Test func adminCloseAndShutdownSayBye() async throws {
        let a = try await Harness()
        _ = try await a.output()
        a.channel.pipeline.fireUserInboundEventTriggered(AdminClose())
        #expect(try await a.until("\r\n") == "* BYE Connection closed by the administrator\r\n")
        try await a.channel.closeFuture.get()
        #expect(!a.channel.isActive)

        let s = try await Harness()
        _ = try await s.output()
        s.channel.pipeline.fireUserInboundEventTriggered(ServerShutdown())
        #expect(try await s.until("\r\n") == "* BYE Server shutting down\r\n")
        try await s.channel.closeFuture.get()
        #expect(!s.channel.isActive)
        await a.shutdown()
        await s.shutdown()
    }

    @Test func refusedAddressGetsByeWithTheReason() async throws {
        let h = try await Harness(gate: BannedGate())
        let out = try await h.until("\r\n")
        #expect(out.hasPrefix("* BYE Access denied: 5 different wrong passwords (until "), "\(out)")
        try await h.channel.closeFuture.get()
        #expect(!h.channel.isActive)
        #expect(h.events.withLock { $0.contains { if case .rejected(let r) = $0 { r.rule == "auth" && r.service == .imap } else { false } } })
        await h.shutdown()
    }
}
