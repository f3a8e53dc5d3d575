import Testing
@testable import FacteurDNS
import FacteurNet

struct ReverseNameTests {
    @Test func ipv4PointerName() throws {
        #expect(ReverseName.pointerName(for: try #require(IPAddress("192.0.2.10"))) == "10.2.0.192.in-addr.arpa")
    }

    @Test func ipv6PointerNameUsesNibbles() throws {
        // RFC 3596 §2.5 example layout.
        let name = ReverseName.pointerName(for: try #require(IPAddress("2001:db8::567:89ab")))
        #expect(name == "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")
    }

    @Test func underZoneDropsTrailingDot() throws {
        #expect(ReverseName.name(for: try #require(IPAddress("127.0.0.2")), under: "bl.example.") == "2.0.0.127.bl.example")
    }
}
