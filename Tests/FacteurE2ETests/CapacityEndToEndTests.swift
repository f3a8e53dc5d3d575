import Foundation
import Testing

/// A full server cannot lock out mail (issue #12, finding 2), with `max_connections` lowered to
/// 10 instead of opening a thousand real connections: a new SMTP client gets the slot of the
/// connection idle for longest, never-ban networks always get one, and what is refused for
/// capacity is a temporary 421 4.7.0 that a sending server retries (not a 554 that bounces).
@Suite(.serialized)
struct CapacityEndToEndTests {
    static func server(_ guardKeys: String) throws -> TestServer {
        let s = try TestServer(extra: "[guard]\n\(guardKeys)\n")
        try s.addUser("alice@example.test")
        try s.start()
        return s
    }

    @Test func fullServerClosesTheLongestIdleConnectionForADelivery() throws {
        let s = try Self.server("max_connections = 10")
        defer { s.stop() }
        let r = try guardScenario("fill_then_deliver", s, ["port": s.smtpPort, "idle": 10, "client": "127.0.0.30",
                                                            "rcpt": "alice@example.test"])
        #expect((r["idle_greetings"] as? [String])?.allSatisfy { $0.hasPrefix("220") } == true, "\(r)")
        #expect((r["greeting"] as? String)?.hasPrefix("220") == true, "\(r)")
        let replies = r["replies"] as? [String] ?? []
        #expect(replies.last?.hasPrefix("250") == true, "\(r)")
        #expect(s.messages("alice@example.test").count == 1)
        // Exactly one idle connection made room, and was told why.
        let told = r["idle_told"] as? [String] ?? []
        #expect(told.count == 1 && told.first?.hasPrefix("421 4.7.0 Server busy") == true, "\(r)")
    }

    @Test func neverBanNetworksGetASlotWithoutClosingAnyone() throws {
        let s = try Self.server("max_connections = 10")
        defer { s.stop() }
        let r = try guardScenario("fill_then_deliver", s, ["port": s.smtpPort, "idle": 10, "client": "127.0.0.1",
                                                            "rcpt": "alice@example.test"])
        #expect((r["replies"] as? [String])?.last?.hasPrefix("250") == true, "\(r)")
        #expect((r["idle_told"] as? [String] ?? []).isEmpty, "\(r)")
    }

    @Test func capacityRefusalIsTemporary() throws {
        let s = try Self.server("max_connections_per_ip = 2")
        defer { s.stop() }
        let r = try guardScenario("fill_then_deliver", s, ["port": s.smtpPort, "idle": 2, "idle_source": "127.0.20.1", "client": "127.0.20.1",
                                                            "rcpt": "alice@example.test"])
        let g = r["greeting"] as? String ?? ""
        #expect(g.hasPrefix("421 4.7.0 Too busy, try again later"), "\(r)")
    }
}
