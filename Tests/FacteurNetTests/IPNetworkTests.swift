import FacteurTestSupport
import Foundation
import Testing
@testable import FacteurNet

@Suite struct IPNetworkTests {
    /// Input → canonical text, or nil when refused.
    static let parseCases: [(String, String?)] = [
        ("192.0.2.0/24", "192.0.2.0/24"),
        ("192.0.2.77/24", "192.0.2.0/24"),          // host bits cleared
        ("192.0.2.7", "192.0.2.7/32"),              // bare address
        ("192.0.2.7/32", "192.0.2.7/32"),
        ("0.0.0.0/0", "0.0.0.0/0"),
        ("10.1.2.3/8", "10.0.0.0/8"),
        ("2001:db8::/32", "2001:db8::/32"),
        ("2001:DB8:1:2::/32", "2001:db8::/32"),
        ("2001:db8::1", "2001:db8::1/128"),
        ("::/0", "::/0"),
        ("::1", "::1/128"),
        ("::ffff:192.0.2.0/120", "192.0.2.0/24"),   // IPv4 written the IPv6 way
        ("::ffff:0:0/96", "0.0.0.0/0"),
        ("::ffff:192.0.2.7", "192.0.2.7/32"),
        ("::ffff:0:0/95", "::fffe:0:0/95"),
        // refused
        ("192.0.2.0/33", nil), ("2001:db8::/129", nil), ("192.0.2.0/", nil), ("/24", nil),
        ("192.0.2.0/024", nil), ("192.0.2.0/-1", nil), ("192.0.2.0/24/1", nil), ("192.0.2.0/ 24", nil),
        ("nonsense", nil), ("", nil),
    ]

    @Test(arguments: parseCases)
    func parseAndFormat(input: String, canonical: String?) {
        let network = IPNetwork(input)
        #expect(network?.description == canonical)
        if let network, let canonical { #expect(IPNetwork(canonical) == network) }
    }

    /// network, address, contained?
    static let containsCases: [(String, String, Bool)] = [
        ("192.0.2.0/24", "192.0.2.0", true),
        ("192.0.2.0/24", "192.0.2.255", true),
        ("192.0.2.0/24", "192.0.3.0", false),
        ("192.0.2.0/24", "::ffff:192.0.2.9", true),      // mapped client, IPv4 rule
        ("192.0.2.7/32", "192.0.2.7", true),
        ("192.0.2.7/32", "192.0.2.8", false),
        ("0.0.0.0/0", "203.0.113.1", true),
        ("0.0.0.0/0", "2001:db8::1", false),              // IPv4 /0 holds no IPv6
        ("0.0.0.0/0", "::1", false),
        ("::/0", "2001:db8::1", true),
        ("::/0", "203.0.113.1", true),                    // IPv6 /0 holds every address
        ("2001:db8::/32", "2001:db8:ffff::1", true),
        ("2001:db8::/32", "2001:db9::1", false),
        ("2001:db8::1/128", "2001:db8::1", true),
        ("2001:db8::1/128", "2001:db8::2", false),
        ("127.0.0.1/32", "127.0.0.2", false),
        ("127.0.0.0/8", "127.0.0.2", true),
        ("::1/128", "127.0.0.1", false),
        ("::ffff:0:0/96", "198.51.100.1", true),
        ("2001:db8::/31", "2001:db9::1", true),
        ("128.0.0.0/1", "127.255.255.255", false),
        ("128.0.0.0/1", "128.0.0.0", true),
        ("8000::/1", "7fff::", false),
        ("2001:db8:0:0:8000::/65", "2001:db8::7fff:0:0:0", false),
        ("2001:db8:0:0:8000::/65", "2001:db8::8000:0:0:1", true),
    ]

    @Test(arguments: containsCases)
    func contains(network: String, address: String, expected: Bool) {
        #expect(net(network).contains(ip(address)) == expected)
    }

    @Test func networkContainment() {
        #expect(net("10.0.0.0/8").contains(net("10.1.0.0/16")))
        #expect(!net("10.1.0.0/16").contains(net("10.0.0.0/8")))
        #expect(net("10.0.0.0/8").contains(net("10.0.0.0/8")))
        #expect(net("10.0.0.0/8").overlaps(net("10.9.9.9")))
        #expect(!net("10.0.0.0/8").overlaps(net("11.0.0.0/8")))
        #expect(net("::/0").contains(net("0.0.0.0/0")))
        #expect(!net("0.0.0.0/0").contains(net("::/0")))
    }

    @Test func prefixLengths() {
        #expect(net("192.0.2.0/24").prefixLength == 24)
        #expect(net("192.0.2.0/24").length128 == 120)
        #expect(net("192.0.2.0/24").isIPv4)
        #expect(net("2001:db8::/48").prefixLength == 48)
        #expect(!net("2001:db8::/48").isIPv4)
        #expect(net("192.0.2.1").isHost)
        #expect(IPNetwork(address: ip("192.0.2.1"), prefixLength: 33) == nil)
        #expect(IPNetwork(address: ip("2001:db8::1"), prefixLength: 129) == nil)
        #expect(IPNetwork(address: ip("2001:db8::1"), prefixLength: 64)?.description == "2001:db8::/64")
    }

    @Test func codableAsText() throws {
        let data = try JSONEncoder().encode(net("192.0.2.9/24"))
        #expect(String(decoding: data, as: UTF8.self) == #""192.0.2.0\/24""#)
        #expect(try JSONDecoder().decode(IPNetwork.self, from: data) == net("192.0.2.0/24"))
    }
}
