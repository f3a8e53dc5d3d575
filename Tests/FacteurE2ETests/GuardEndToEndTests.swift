import Foundation
import Testing

/// A scenario from a chosen loopback source address (any 127.x.y.z is a distinct client).
func scenario(from source: String, _ name: String, _ server: TestServer, _ args: String...) throws -> [String: Any] {
    let r = try TestProcess.run("/usr/bin/env", ["python3", TestServer.scripts + "/smtp_scenarios.py", name, "127.0.0.1",
                                                 String(server.smtpPort)] + args,
                                env: TestServer.pythonEnvironment.merging(["SOURCE": source]) { $1 })
    guard r.status == 0, let line = r.out.split(separator: "\n").last,
          let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        throw TestFailure("\(name) from \(source) failed: \(r.out) \(r.err)\n\(server.log)")
    }
    return obj
}

func greeting(from source: String, _ s: TestServer) throws -> String {
    try scenario(from: source, "greeting", s)["greeting"] as? String ?? ""
}

func bansJSON(_ s: TestServer) throws -> [[String: Any]] {
    let r = try s.cli(["bans", "--json"])
    return (try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]]) ?? []
}

var testdata: String {
    if let t = ProcessInfo.processInfo.environment["FACTEUR_TESTDATA"] { return t }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let beside = root.deletingLastPathComponent().appendingPathComponent("shared/testdata").path
    return FileManager.default.fileExists(atPath: beside) ? beside : "/work/shared/testdata"
}

@Suite(.serialized)
struct GuardEndToEndTests {
    @Test func relayAttemptBansFor24HoursAcrossRestartUntilUnbanned() throws {
        let s = try TestServer()
        try s.addUser("alice@example.test")
        try s.start()
        #expect(try greeting(from: "127.0.0.5", s).hasPrefix("220"))
        let relay = try scenario(from: "127.0.0.5", "relay", s, "victim@gmail.com")
        #expect(((relay["rcpt"] as? [[Any]])?.first?.first as? Int) == 550)
        // Refused at connect, before any command, naming the reason and the end of the ban.
        let refused = try greeting(from: "127.0.0.5", s)
        #expect(refused.hasPrefix("554 5.7.1"), "\(refused)")
        #expect(refused.contains("until"))
        // Another address is not affected.
        #expect(try greeting(from: "127.0.0.6", s).hasPrefix("220"))
        var bans = try bansJSON(s)
        #expect(bans.count == 1)
        #expect(bans.first?["network"] as? String == "127.0.0.5/32")
        #expect(bans.first?["rule"] as? String == "relay")
        #expect(bans.first?["source"] as? String == "automatic")
        #expect(((bans.first?["evidence"] as? [String]) ?? []).contains { $0.contains("TO:<victim@gmail.com>") })
        let left = bans.first?["remaining_seconds"] as? Int ?? 0
        #expect(left > 86400 - 120 && left <= 86400, "\(left)")
        #expect(s.log.contains("banned 127.0.0.5/32 [relay]"))

        // A restart keeps the ban with its remaining time.
        s.stop()
        try s.start()
        #expect(try greeting(from: "127.0.0.5", s).hasPrefix("554"))
        bans = try bansJSON(s)
        #expect((bans.first?["remaining_seconds"] as? Int ?? 0) > 86400 - 180)

        let un = try s.cli(["unban", "127.0.0.5"])
        #expect(un.status == 0, "\(un.err)")
        #expect(try greeting(from: "127.0.0.5", s).hasPrefix("220"))
        #expect(try bansJSON(s).isEmpty)
        s.stop()
        try s.start()
        #expect(try greeting(from: "127.0.0.5", s).hasPrefix("220"))
    }

    @Test func unknownRecipientsAndManualBans() throws {
        let s = try TestServer()
        try s.addUser("alice@example.test")
        try s.start()
        // Five unknown recipients in a session: banned.
        _ = try scenario(from: "127.0.0.8", "relay", s, "a@example.test", "b@example.test", "c@example.test", "d@example.test", "e@example.test")
        #expect(try greeting(from: "127.0.0.8", s).hasPrefix("554"))
        #expect(try bansJSON(s).first?["rule"] as? String == "unknown-recipient")
        // Four is not enough.
        _ = try scenario(from: "127.0.0.9", "relay", s, "a@example.test", "b@example.test", "c@example.test", "d@example.test")
        #expect(try greeting(from: "127.0.0.9", s).hasPrefix("220"))

        // Manual bans act at once on the running server, by address or network.
        #expect(try s.cli(["ban", "127.0.1.0/24", "--for", "1h", "--reason", "testing"]).status == 0)
        let g = try greeting(from: "127.0.1.77", s)
        #expect(g.hasPrefix("554") && g.contains("testing"), "\(g)")
        #expect(try s.cli(["ban", "127.0.2.3", "--permanent"]).status == 0)
        let list = try s.cli(["bans"]).out
        #expect(list.contains("127.0.1.0/24") && list.contains("manual") && list.contains("permanent"))
        // never_ban wins: loopback 127.0.0.1 cannot be banned, and `allow` lifts bans inside it.
        #expect(try s.cli(["ban", "127.0.0.1"]).status != 0)
        #expect(try s.cli(["allow", "127.0.1.0/24"]).status == 0)
        #expect(try greeting(from: "127.0.1.77", s).hasPrefix("220"))
        // The console's event stream saw all of it.
        #expect(s.log.contains("unbanned 127.0.1.0/24 (never-ban)"))
    }

    @Test func banCommandsWorkWithoutARunningServer() throws {
        let s = try TestServer()
        #expect(try s.cli(["ban", "127.0.3.3", "--for", "2h"]).status == 0)
        let bans = try bansJSON(s)
        #expect(bans.first?["network"] as? String == "127.0.3.3")
        try s.start()
        #expect(try greeting(from: "127.0.3.3", s).hasPrefix("554"))
    }

    @Test func countriesThroughProxyProtocol() throws {
        let db = testdata + "/geoip/GeoLite2-Country-Test.mmdb"
        let s = try TestServer(smtp: "proxy_protocol = true\ntrusted_proxies = [\"127.0.0.1/32\"]",
                               extra: "[guard]\ngeoip_db = \"\(db)\"\ndeny_countries = [\"BT\"]\n")
        try s.start()
        // 67.43.156.0/24 is BT in the test database; 81.2.69.142 is GB.
        let bt = try scenario(from: "127.0.0.1", "proxy", s, "67.43.156.7")["greeting"] as? String ?? ""
        #expect(bt.hasPrefix("554"), "\(bt)")
        let gb = try scenario(from: "127.0.0.1", "proxy", s, "81.2.69.142")["greeting"] as? String ?? ""
        #expect(gb.hasPrefix("220"), "\(gb)")
        #expect(s.log.contains("67.43.156.7 rejected [country]"))
        // A PROXY listener refuses connections that do not come from a trusted proxy.
        let untrusted = try scenario(from: "127.0.0.4", "proxy", s, "81.2.69.142")["greeting"] as? String ?? ""
        #expect(untrusted.isEmpty)
    }

    @Test func dnsblRefusesListedAddresses() throws {
        let zone = """
        5.0.0.127.bl.test. 300 IN A 127.0.0.2
        """
        let dns = try TestDNS(zone: zone)
        let s = try TestServer(extra: "[guard]\ndnsbl = [\"bl.test\"]\n\n[dns]\nnameserver = \"127.0.0.1:\(dns.port)\"\n")
        try s.start()
        let listed = try greeting(from: "127.0.0.5", s)
        #expect(listed.hasPrefix("554") && listed.contains("bl.test"), "\(listed)")
        #expect(try greeting(from: "127.0.0.6", s).hasPrefix("220"))
    }

    @Test func perServiceDenyAndListFilesReloadedWhenChanged() throws {
        let listDir = NSTemporaryDirectory() + "facteur-lists-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: listDir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: listDir) }
        let list = listDir + "/deny.txt"
        try "# spammers\n127.0.5.0/24\n".write(toFile: list, atomically: true, encoding: .utf8)
        let s = try TestServer(smtp: "deny = [\"127.0.4.0/24\"]", extra: "[guard]\ndeny_files = [\"\(list)\"]\n")
        try s.start()
        let g4 = try greeting(from: "127.0.4.1", s)
        #expect(g4.hasPrefix("554"), "\(g4)")
        #expect(try greeting(from: "127.0.5.1", s).hasPrefix("554"))
        #expect(try greeting(from: "127.0.6.1", s).hasPrefix("220"))
        // Edit the file: the server picks it up without a restart.
        try "127.0.6.0/24\n".write(toFile: list, atomically: true, encoding: .utf8)
        let deadline = Date().addingTimeInterval(15)
        var now6 = ""
        repeat { usleep(500_000); now6 = try greeting(from: "127.0.6.1", s) } while !now6.hasPrefix("554") && Date() < deadline
        #expect(now6.hasPrefix("554"))
        #expect(try greeting(from: "127.0.5.1", s).hasPrefix("220"))
        #expect(s.log.contains("list files reloaded"))
    }
}

@Suite(.serialized)
struct GuardLoginTests {
    /// Five distinct wrong passwords in 15 minutes over POP3 ban the address for 24 hours;
    /// the same wrong password repeated (a stale phone behind the office NAT) does not.
    @Test func passwordGuessingOverPOP3IsBanned() throws {
        let s = try TestServer.pop3()
        let r = try pop3Scenario("guess_passwords", s, "alice@example.test", "127.0.0.6", "5")
        #expect((r["answers"] as? [String])?.count == 5)
        #expect((r["answers"] as? [String])?.allSatisfy { $0.hasPrefix("-ERR [AUTH]") } == true, "\(r)")
        let after = r["after"] as? String ?? ""
        #expect(after.hasPrefix("-ERR") && after.contains("until"), "\(after)")
        let bans = try bansJSON(s)
        #expect(bans.first?["network"] as? String == "127.0.0.6/32")
        #expect(bans.first?["rule"] as? String == "auth")
        // Another address still gets in.
        let ok = try pop3Scenario("guess_passwords", s, "alice@example.test", "127.0.0.7", "1")
        #expect((ok["after"] as? String)?.hasPrefix("+OK") == true)
    }
}
