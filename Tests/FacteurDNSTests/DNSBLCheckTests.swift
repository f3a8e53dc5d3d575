import FacteurTestSupport
import Testing
@testable import FacteurDNS

struct DNSBLCheckTests {
    let check = DNSBLCheck(zone: "bl.example")

    @Test(arguments: [
        ("192.0.2.99", "99.2.0.192.bl.example"),
        ("::ffff:192.0.2.99", "99.2.0.192.bl.example"),
        ("2001:db8:1:2:3:4:567:89ab", "b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.bl.example"),
    ])
    func buildsQueryName(address: String, expected: String) {
        #expect(check.queryName(for: address) == expected)
    }

    @Test func rejectsNonAddress() {
        #expect(check.queryName(for: "mail.example.com") == nil)
    }

    @Test(arguments: [
        ([] as [String], DNSBLVerdict.notListed),
        (["127.0.0.2"], .listed(codes: ["127.0.0.2"])),
        (["127.0.0.4", "127.0.0.10"], .listed(codes: ["127.0.0.4", "127.0.0.10"])),
        (["127.255.255.254"], .refusedByList(codes: ["127.255.255.254"])),
        (["198.51.100.7"], .invalidAnswer(["198.51.100.7"])),
        (["127.0.0.2", "198.51.100.7"], .listed(codes: ["127.0.0.2"])),
    ])
    func interpretsAnswers(answers: [String], expected: DNSBLVerdict) {
        #expect(DNSBLCheck.interpret(answers) == expected)
    }

    @Test func checksAgainstLoopbackServer() async throws {
        var zone = TestZone()
        zone.add("2.0.0.127.bl.example", .a(.v4([127, 0, 0, 2])))
        zone.add("2.0.0.127.bl.example", .a(.v4([127, 0, 0, 4])))
        zone.failing = [try DNSName("3.0.0.127.bl.example")]
        let server = try LoopbackDNSServer(zone: zone)
        defer { server.stop() }
        let resolver = DNSResolver(nameserver: server.address, timeout: .seconds(2), retries: 0)
        #expect(await check.check("127.0.0.2", using: resolver) == .listed(codes: ["127.0.0.2", "127.0.0.4"]))
        #expect(await check.check("127.0.0.1", using: resolver) == .notListed)
        #expect(await check.check("127.0.0.3", using: resolver) == .unavailable(.serverFailure(.serverFailure)))
        #expect(await check.check("nonsense", using: resolver) == .unavailable(.invalidName("nonsense")))
    }
}
