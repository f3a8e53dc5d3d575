@testable import FacteurServer
import Foundation
import NIOCore
import NIOEmbedded
import Testing

/// The POP3 AUTHORIZATION state lasts at most `POP3EdgeLimits.loginWithin` (5 minutes) however
/// the client trickles its bytes (issue #12), on a `NIOAsyncTestingChannel` whose clock the test
/// moves: nothing sleeps.
@Suite(.timeLimit(.minutes(1)))
struct POP3LoginLimitTests {
    typealias Harness = LoginGuardHandlerTests.Harness

    @Test func notLoggedInWithinFiveMinutesIsCut() async throws {
        let h = try await Harness(gate: LoginGuardHandlerTests.ScriptedGate())
        // A command every 100 s keeps the 10-minute inactivity timer from firing …
        for _ in 0..<2 {
            await h.channel.testingEventLoop.advanceTime(by: .seconds(100))
            try await h.send("NOOP\r\n")
            _ = try await h.until("\r\n")
        }
        await h.channel.testingEventLoop.advanceTime(by: .seconds(99))   // 299 s since the greeting
        #expect(h.channel.isActive)
        #expect(try await h.channel.readOutbound(as: ByteBuffer.self) == nil)
        // … but not the login limit.
        await h.channel.testingEventLoop.advanceTime(by: .seconds(2))
        #expect(try await h.until("\r\n").hasPrefix("-ERR"))
        try await h.channel.closeFuture.get()
        await h.shutdown()
    }

    @Test func tricklingAnUnfinishedLineDoesNotKeepTheConnection() async throws {
        let h = try await Harness(gate: LoginGuardHandlerTests.ScriptedGate())
        for _ in 0..<29 {
            await h.channel.testingEventLoop.advanceTime(by: .seconds(10))
            try await h.send("U")
        }
        #expect(h.channel.isActive)
        await h.channel.testingEventLoop.advanceTime(by: .seconds(11))   // 301 s
        #expect(try await h.until("\r\n").hasPrefix("-ERR"))
        try await h.channel.closeFuture.get()
        await h.shutdown()
    }

    @Test func aLoggedInSessionIsNotCutAtTheLoginLimit() async throws {
        let h = try await Harness(gate: LoginGuardHandlerTests.ScriptedGate())
        try await h.send("USER alice@example.test\r\n")
        _ = try await h.until("\r\n")
        try await h.send("PASS pw\r\n")
        #expect(try await h.until("\r\n").hasPrefix("+OK"))
        await h.channel.testingEventLoop.advanceTime(by: .seconds(301))
        #expect(h.channel.isActive)
        await h.shutdown()
    }
}
