import FacteurCore
@testable import FacteurServer
import FacteurStore
import Foundation
import NIOCore
import NIOEmbedded
import NIOPosix

/// A protocol handler on a `NIOAsyncTestingChannel` (a thread-safe loop whose clock the test
/// moves) over a real server context in a throw-away folder with one user, alice@example.test
/// (password "pw"). Suites subclass it to install their handler and gate.
class HandlerHarness: @unchecked Sendable {
    let dir: String
    let pool = NIOThreadPool(numberOfThreads: 2)
    let context: ServerContext
    let channel = NIOAsyncTestingChannel()
    var received = ""

    /// `install` adds the handler to the channel (on its loop); the harness then connects the
    /// channel to 127.0.0.1:`port` and reads up to the end of the greeting, `greetingEnd` (nil:
    /// the test reads it).
    init(name: String, gate: any ConnectionGate, hub: EventHub = EventHub(), port: Int, greetingEnd: String? = "\r\n",
         install: @escaping @Sendable (NIOAsyncTestingChannel, ServerContext) throws -> Void) async throws {
        dir = NSTemporaryDirectory() + "facteur-\(name)-" + UUID().uuidString.prefix(8)
        let config = Config.builtInDefault(cwd: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let db = try FacteurDatabase(path: config.databasePath)
        try db.addUser("alice@example.test", passwordHash: PasswordHasher.hash("pw", cost: 1))
        pool.start()
        let ctx = try ServerContext(config: config, hub: hub, database: db, gate: gate, ioPool: pool, tls: nil,
                                    clock: { Date(timeIntervalSince1970: 1_790_000_000) })
        context = ctx
        let channel = self.channel
        try await channel.testingEventLoop.executeInContext { try install(channel, ctx) }
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: port)).get()
        if let greetingEnd { _ = try await until(greetingEnd) }
    }

    /// Everything written since the last read, without waiting.
    func drain() async throws -> String {
        var text = received
        received = ""
        while let b = try await channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: b) }
        return text
    }

    func advanceTime(by amount: TimeAmount) async {
        await channel.testingEventLoop.advanceTime(by: amount)
    }

    /// Reads writes until the text received since the last call contains `marker`.
    func until(_ marker: String) async throws -> String {
        while !received.contains(marker) {
            let b = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
            received += String(buffer: b)
        }
        let r = received
        received = ""
        return r
    }

    func send(_ line: String) async throws {
        try await channel.writeInbound(ByteBuffer(string: line))
    }

    func shutdown() async {
        _ = try? await channel.finish(acceptAlreadyClosed: true)
        try? await pool.shutdownGracefully()
        try? FileManager.default.removeItem(atPath: dir)
    }
}
