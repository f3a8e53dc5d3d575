import Foundation
import FacteurTestSupport
import Testing
@testable import FacteurNet

@Suite struct IPAddressTests {
    /// Input text → canonical text (RFC 5952), or nil when it must be refused.
    static let parseCases: [(String, String?)] = [
        ("192.0.2.7", "192.0.2.7"),
        ("0.0.0.0", "0.0.0.0"),
        ("255.255.255.255", "255.255.255.255"),
        ("127.0.0.1", "127.0.0.1"),
        ("::ffff:192.0.2.7", "192.0.2.7"),
        ("::FFFF:C000:0207", "192.0.2.7"),
        ("0:0:0:0:0:ffff:192.0.2.7", "192.0.2.7"),
        ("::", "::"),
        ("::1", "::1"),
        ("1::", "1::"),
        ("2001:DB8::1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),       // first of two equal runs
        ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),              // longest run wins
        ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),     // a single zero group stays
        ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
        ("fe80::1:2", "fe80::1:2"),
        ("::192.0.2.7", "::c000:207"),                        // IPv4-compatible is not IPv4
        ("64:ff9b::192.0.2.7", "64:ff9b::c000:207"),
        // refused
        ("", nil), ("1.2.3", nil), ("1.2.3.4.5", nil), ("256.0.0.1", nil), ("01.2.3.4", nil),
        ("1.2.3.-4", nil), ("1.2.3.4 ", nil), (" 1.2.3.4", nil), ("1..2.3", nil), ("a.b.c.d", nil),
        ("1:2:3:4:5:6:7:8:9", nil), ("1:2:3:4:5:6:7", nil), ("1::2::3", nil), (":::", nil),
        (":1::", nil), ("1:::2", nil), ("12345::", nil), ("g::1", nil), ("1.2.3.4::", nil),
        ("::1.2.3", nil), ("fe80::1%eth0", nil), ("[::1]", nil), ("1:2:3:4:5:6:7:8::", nil),
        ("::1:2:3:4:5:6:7:8", nil), ("1.2.3.4:25", nil),
        (String(repeating: "1", count: 100), nil),
    ]

    @Test(arguments: parseCases)
    func parseAndFormat(input: String, canonical: String?) {
        let address = IPAddress(input)
        #expect(address?.description == canonical)
        if let address, let canonical {
            // Round trip: the canonical text parses to the same value.
            #expect(IPAddress(canonical) == address)
        }
    }

    @Test func mappedIPv6IsIPv4() {
        let mapped = ip("::ffff:203.0.113.9")
        let plain = ip("203.0.113.9")
        #expect(mapped == plain)
        #expect(mapped.isIPv4)
        #expect(mapped.ipv4 == 0xCB00_7109)
        #expect(!ip("2001:db8::1").isIPv4)
        #expect(ip("2001:db8::1").ipv4 == nil)
        #expect(!ip("::203.0.113.9").isIPv4)
    }

    @Test func bytesRoundTrip() {
        #expect(ip("192.0.2.7").bytes == [192, 0, 2, 7])
        #expect(IPAddress(bytes: [192, 0, 2, 7]) == ip("192.0.2.7"))
        let v6 = ip("2001:db8::ff00:42:8329")
        #expect(v6.bytes.count == 16)
        #expect(IPAddress(bytes: v6.bytes) == v6)
        // A sockaddr_in6 holding a mapped address gives the IPv4 address.
        #expect(IPAddress(bytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 192, 0, 2, 7]) == ip("192.0.2.7"))
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
        #expect(IPAddress(bytes: [UInt8](repeating: 0, count: 17)) == nil)
    }

    @Test func ordering() {
        #expect(ip("10.0.0.1") < ip("10.0.0.2"))
        #expect(ip("::1") < ip("10.0.0.1"))  // IPv4 sorts as ::ffff:0:0/96
        #expect(ip("10.0.0.1") < ip("2001:db8::"))
    }

    @Test func codableAsText() throws {
        let data = try JSONEncoder().encode([ip("192.0.2.7"), ip("2001:db8::1")])
        #expect(String(decoding: data, as: UTF8.self) == #"["192.0.2.7","2001:db8::1"]"#)
        #expect(try JSONDecoder().decode([IPAddress].self, from: data) == [ip("192.0.2.7"), ip("2001:db8::1")])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([IPAddress].self, from: Data(#"["nope"]"#.utf8)) }
    }

    /// Formatting then parsing any address gives it back.
    @Test func randomRoundTrip() {
        var random = SeededRandom(seed: 42)
        for _ in 0..<2000 {
            let address = randomAddress(&random)
            #expect(IPAddress(address.description) == address)
            let sparse = IPAddress(high: random.next() & 0xFFFF_0000_0000_FFFF, low: random.next() & 0x0000_FFFF_0000_0000)
            #expect(IPAddress(sparse.description) == sparse)
        }
    }

    /// Random text made of address characters: never a crash, and whatever parses prints
    /// back to text that parses to the same value.
    @Test func randomTextNeverCrashes() {
        var random = SeededRandom(seed: 2024)
        let alphabet = Array("0123456789abcdefABCDEF:./%ff::1.")
        var parsed = 0
        for _ in 0..<20_000 {
            let length = Int(random.next() % 48)
            let text = String((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
            if let address = IPAddress(text) {
                parsed += 1
                #expect(IPAddress(address.description) == address, "\(text)")
            }
            if let network = IPNetwork(text) {
                #expect(IPNetwork(network.description) == network, "\(text)")
            }
        }
        #expect(parsed > 0)
    }

    @Test func classifiesAddresses() {
        #expect(ip("127.0.0.2").isLoopback)
        #expect(ip("::1").isLoopback)
        #expect(!ip("192.168.1.10").isLoopback)
        #expect(!ip("::2").isLoopback)
        #expect(ip("fe80::abcd").isLinkLocal)
        #expect(ip("febf::1").isLinkLocal)
        #expect(!ip("fec0::1").isLinkLocal)
        #expect(ip("169.254.3.4").isLinkLocal)
        #expect(!ip("169.253.3.4").isLinkLocal)
        #expect(ip("0.0.0.0").isUnspecified)
        #expect(ip("::").isUnspecified)
        #expect(!ip("0.0.0.1").isUnspecified)
        #expect(IPAddress(bytes: [1, 2, 3]) == nil)
    }

    @Test func sixteenBytesKeepTheMappedForm() {
        #expect(ip("192.0.2.7").bytes16 == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 192, 0, 2, 7])
        #expect(ip("2001:db8::1").bytes16 == ip("2001:db8::1").bytes)
    }
}
