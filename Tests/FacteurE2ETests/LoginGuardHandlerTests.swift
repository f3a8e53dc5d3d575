import FacteurCore
@testable import FacteurServer
import FacteurStore
import Foundation
import NIOCore
import NIOEmbedded
import NIOPosix
import Synchronization
import Testing

/// The guard before and after a password, on `POP3Handler` over a `NIOAsyncTestingChannel`
/// whose clock the test moves: a banned address has no password verified, a wrong password is
/// answered only after the address's penalty, and a ban's close request says the protocol's
/// goodbye.
@Suite(.timeLimit(.minutes(1)))
struct LoginGuardHandlerTests {
    /// A gate whose login answers the test chooses, recording what it is told.
    final class ScriptedGate: ConnectionGate {
        let banned: GateRefusal?
        let failureDelay: TimeInterval
        private let results = Mutex<[Bool]>([])
        private let delaysAsked = Mutex(0)

        init(banned: GateRefusal? = nil, failureDelay: TimeInterval = 0) {
            self.banned = banned
            self.failureDelay = failureDelay
        }

        var authResults: [Bool] { results.withLock { $0 } }
        var failuresTimed: Int { delaysAsked.withLock { $0 } }

        func admit(remoteAddress: String, service: ServiceKind, connection: ConnectionID) -> GateRefusal? { nil }
        func slowChecks(remoteAddress: String, service: ServiceKind) async -> GateRefusal? { nil }
        func hasSlowChecks(_ service: ServiceKind) -> Bool { false }
        func connectionClosed(remoteAddress: String, service: ServiceKind, connection: ConnectionID) {}
        func offence(_ offence: SMTPOffence, remoteAddress: String, service: ServiceKind, connection: ConnectionID, evidence: [String]) {}
        func authResult(success: Bool, remoteAddress: String, service: ServiceKind, connection: ConnectionID,
                        user: String, passwordDigest: String) {
            results.withLock { $0.append(success) }
        }
        func loginAttempt(remoteAddress: String, service: ServiceKind) -> LoginAdmission {
            banned.map { .refused($0) } ?? .proceed(after: 0)
        }
        func loginFailedDelay(remoteAddress: String, service: ServiceKind) -> TimeInterval {
            delaysAsked.withLock { $0 += 1 }
            return failureDelay
        }
    }

    final class Harness: HandlerHarness, @unchecked Sendable {
        init(gate: ScriptedGate) async throws {
            let info = ConnectionInfo(id: ConnectionID(9), service: .pop3, remoteAddress: "127.0.0.1", remotePort: 40000,
                                      localAddress: "127.0.0.1:110", tls: false, opened: Date())
            try await super.init(name: "login-guard", gate: gate, port: 110) { channel, ctx in
                try POP3Handler.install(on: channel, server: ctx, info: info, admitted: true)
            }
        }
    }

    static let ban = GateRefusal(rule: "auth", reason: "5 different wrong passwords", until: Date(timeIntervalSince1970: 1_800_000_000))

    @Test func bannedAddressHasNoPasswordVerified() async throws {
        let gate = ScriptedGate(banned: Self.ban)
        let h = try await Harness(gate: gate)
        try await h.send("USER alice@example.test\r\n")
        _ = try await h.until("\r\n")
        try await h.send("PASS pw\r\n")
        let answer = try await h.until("\r\n")
        #expect(answer.hasPrefix("-ERR Access denied: 5 different wrong passwords (until "), "\(answer)")
        try await h.channel.closeFuture.get()
        // Not verified: neither a success nor a failure reached the guard.
        #expect(gate.authResults.isEmpty && gate.failuresTimed == 0)
        await h.shutdown()
    }

    @Test func wrongPasswordIsAnsweredAfterThePenaltyButCountedAtOnce() async throws {
        let gate = ScriptedGate(failureDelay: 4)
        let h = try await Harness(gate: gate)
        try await h.send("USER alice@example.test\r\n")
        _ = try await h.until("\r\n")
        try await h.send("PASS wrong\r\n")
        // The guard hears of the failure as soon as the password is checked (a ban then
        // closes every connection of the address) …
        while gate.authResults.isEmpty { await Task.yield() }
        #expect(gate.authResults == [false])
        // … while the reply waits for the penalty, on the loop's clock.
        await h.channel.testingEventLoop.advanceTime(by: .milliseconds(3900))
        #expect(h.received.isEmpty)
        #expect(try await h.channel.readOutbound(as: ByteBuffer.self) == nil)
        await h.channel.testingEventLoop.advanceTime(by: .milliseconds(200))
        #expect(try await h.until("\r\n").hasPrefix("-ERR [AUTH]"))
        await h.shutdown()
    }

    @Test func banCloseRequestSaysGoodbye() async throws {
        let h = try await Harness(gate: ScriptedGate())
        h.channel.pipeline.fireUserInboundEventTriggered(CloseRequest.banned(Self.ban))
        #expect(try await h.until("\r\n").hasPrefix("-ERR Access denied: 5 different wrong passwords (until "))
        try await h.channel.closeFuture.get()
        await h.shutdown()
    }

    @Test func goodbyeOfEachProtocol() {
        #expect(ConnectRefusal.goodbye(.smtp, .banned(Self.ban)).hasPrefix("421 4.7.1 Access denied: 5 different wrong passwords (until "))
        #expect(ConnectRefusal.goodbye(.imap, .banned(Self.ban)).hasPrefix("* BYE Access denied: 5 different"))
        #expect(ConnectRefusal.goodbye(.pop3, .banned(Self.ban)).hasPrefix("-ERR Access denied: 5 different"))
        #expect(ConnectRefusal.goodbye(.smtp, .makeRoom).hasPrefix("421 4.7.0 Server busy"))
        #expect(ConnectRefusal.goodbye(.pop3, .administrator) == "-ERR [SYS/TEMP] connection closed by the administrator\r\n")
        let full = GateRefusal(rule: "total-connections", reason: "1000 smtp connections already open", until: nil)
        #expect(ConnectRefusal.smtpReply(full).encoded == "421 4.7.0 Too busy, try again later: 1000 smtp connections already open\r\n")
    }
}
