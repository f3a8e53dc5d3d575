import Testing
@testable import FacteurDNS

struct IPAddressTests {
    @Test(arguments: [
        ("192.0.2.1", "192.0.2.1", true),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1", false),
        ("::1", "::1", false),
        ("fe80::1%eth0", "fe80::1", false),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1", false),
    ])
    func parsesAndPrintsCanonically(text: String, canonical: String, isIPv4: Bool) throws {
        let address = try #require(IPAddress(text))
        #expect(address.description == canonical)
        #expect(address.isIPv4 == isIPv4)
    }

    @Test(arguments: ["", "1.2.3", "256.1.1.1", "example.com", "1.2.3.4:25", "::g", "[::1]"])
    func rejectsNonAddresses(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func classifiesAddresses() throws {
        #expect(try #require(IPAddress("127.0.0.2")).isLoopback)
        #expect(try #require(IPAddress("::1")).isLoopback)
        #expect(try #require(IPAddress("192.168.1.10")).isLoopback == false)
        #expect(try #require(IPAddress("fe80::abcd")).isLinkLocal)
        #expect(try #require(IPAddress("169.254.3.4")).isLinkLocal)
        #expect(try #require(IPAddress("0.0.0.0")).isUnspecified)
        #expect(try #require(IPAddress("::")).isUnspecified)
        #expect(IPAddress(octets: [1, 2, 3]) == nil)
    }
}
