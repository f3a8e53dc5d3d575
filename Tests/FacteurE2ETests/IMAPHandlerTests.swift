import FacteurCore
@testable import FacteurServer
import FacteurStore
import Foundation
import NIOCore
import NIOEmbedded
import NIOPosix
import Synchronization
import Testing

/// `IMAPHandler` on an `EmbeddedChannel`: greeting, refusal, BYE on admin close and shutdown,
/// and the autologout timer driven by the embedded loop's clock (no sleeps).
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

    final class Harness {
        let dir = NSTemporaryDirectory() + "facteur-imap-handler-" + UUID().uuidString.prefix(8)
        let pool = NIOThreadPool(numberOfThreads: 1)
        let context: ServerContext
        let channel = EmbeddedChannel()
        let events = EventBox()

        init(gate: any ConnectionGate = OpenGate(), remoteAddress: String = "192.0.2.7") throws {
            let config = Config.builtInDefault(cwd: dir)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let db = try FacteurDatabase(path: config.databasePath)
            pool.start()
            let hub = EventHub()
            context = try ServerContext(config: config, hub: hub, database: db, gate: gate, ioPool: pool, tls: nil,
                                        clock: { Date(timeIntervalSince1970: 1_790_000_000) })
            hub.subscribe { [events] e in events.append(e.kind) }
            let info = ConnectionInfo(id: ConnectionID(1), service: .imap, remoteAddress: remoteAddress, remotePort: 40000,
                                      localAddress: "127.0.0.1:143", tls: false, opened: Date())
            try channel.pipeline.syncOperations.addHandler(IMAPHandler(service: IMAPService(context: context), info: info))
            try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 143)).wait()
        }

        /// Everything written so far, as text.
        func output() throws -> String {
            var text = ""
            while let b = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: b) }
            return text
        }

        func shutdown() {
            _ = try? channel.finish()
            try? pool.syncShutdownGracefully()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }

    @Test func greetsWithCapabilitiesAndLoginDisabledOffLoopback() throws {
        let h = try Harness()
        defer { h.shutdown() }
        let greeting = try h.output()
        #expect(greeting.hasPrefix("* OK [CAPABILITY IMAP4rev1 "))
        #expect(greeting.contains("LOGINDISABLED") && !greeting.contains("AUTH=PLAIN") && !greeting.contains("STARTTLS"))
        #expect(greeting.hasSuffix("mail.example.test ready\r\n"))
        #expect(h.events.withLock { $0.contains { if case .connectionOpened(let i) = $0 { i.service == .imap } else { false } } })
    }

    @Test func notLoggedInWithinThreeMinutesIsLoggedOut() throws {
        let h = try Harness()
        defer { h.shutdown() }
        _ = try h.output()
        h.channel.embeddedEventLoop.advanceTime(by: IMAPServerLimits.loginWithin - .seconds(1))
        #expect(try h.output().isEmpty)
        #expect(h.channel.isActive)
        h.channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(try h.output() == "* BYE Autologout: not logged in in time\r\n")
        #expect(!h.channel.isActive)
        #expect(h.events.withLock { $0.contains { if case .connectionClosed = $0 { true } else { false } } })
    }

    /// Trickling (issue #12): a client that has not logged in is logged out at the login
    /// limit however it trickles the bytes of an unfinished line.
    @Test func tricklingBeforeLoginDoesNotKeepTheConnection() throws {
        let h = try Harness()
        defer { h.shutdown() }
        _ = try h.output()
        for _ in 0..<17 {
            h.channel.embeddedEventLoop.advanceTime(by: .seconds(10))
            try h.channel.writeInbound(ByteBuffer(string: "a"))
        }
        #expect(h.channel.isActive)
        for _ in 0..<2 {
            h.channel.embeddedEventLoop.advanceTime(by: .seconds(10))
            if h.channel.isActive { _ = try? h.channel.writeInbound(ByteBuffer(string: "a")) }
        }
        #expect(!h.channel.isActive)
        #expect(try h.output().hasSuffix("* BYE Autologout: not logged in in time\r\n"))
    }

    @Test func adminCloseAndShutdownSayBye() throws {
        let a = try Harness()
        defer { a.shutdown() }
        _ = try a.output()
        a.channel.pipeline.fireUserInboundEventTriggered(AdminClose())
        #expect(try a.output() == "* BYE Connection closed by the administrator\r\n")
        #expect(!a.channel.isActive)

        let s = try Harness()
        defer { s.shutdown() }
        _ = try s.output()
        s.channel.pipeline.fireUserInboundEventTriggered(ServerShutdown())
        #expect(try s.output() == "* BYE Server shutting down\r\n")
        #expect(!s.channel.isActive)
    }

    @Test func refusedAddressGetsByeWithTheReason() throws {
        let h = try Harness(gate: BannedGate())
        defer { h.shutdown() }
        let out = try h.output()
        #expect(out.hasPrefix("* BYE Access denied: 5 different wrong passwords (until "), "\(out)")
        #expect(!h.channel.isActive)
        #expect(h.events.withLock { $0.contains { if case .rejected(let r) = $0 { r.rule == "auth" && r.service == .imap } else { false } } })
    }
}
