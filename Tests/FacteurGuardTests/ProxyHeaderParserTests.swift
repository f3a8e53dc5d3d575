import FacteurTestSupport
import Foundation
import Testing
@testable import FacteurGuard
import FacteurNet

@Suite struct ProxyHeaderParserTests {
    static func v1(_ text: String) -> [UInt8] { Array(text.utf8) }

    static let signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]

    static func v2(command: UInt8 = 0x21, family: UInt8, block: [UInt8], declaredLength: Int? = nil) -> [UInt8] {
        let length = declaredLength ?? block.count
        return signature + [command, family, UInt8(length >> 8), UInt8(length & 0xFF)] + block
    }

    static let v4Block: [UInt8] = [192, 0, 2, 7, 198, 51, 100, 1, 0xC3, 0x50, 0x00, 0x19]   // :50000 → :25
    static let v6Block: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [1]
        + [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [2] + [0x04, 0xD2, 0x00, 0x8F]  // :1234 → :143

    /// Complete headers (with trailing protocol bytes) → what they parse to.
    static let parsedCases: [([UInt8], ProxyHeader)] = [
        (v1("PROXY TCP4 192.0.2.7 198.51.100.1 50000 25\r\nEHLO x\r\n"),
         ProxyHeader(version: 1, command: .proxy, transport: .tcp,
                     source: ProxyEndpoint(address: ip("192.0.2.7"), port: 50000),
                     destination: ProxyEndpoint(address: ip("198.51.100.1"), port: 25), length: 44)),
        (v1("PROXY TCP6 2001:db8::1 2001:db8::2 1234 143\r\n"),
         ProxyHeader(version: 1, command: .proxy, transport: .tcp,
                     source: ProxyEndpoint(address: ip("2001:db8::1"), port: 1234),
                     destination: ProxyEndpoint(address: ip("2001:db8::2"), port: 143), length: 45)),
        (v1("PROXY TCP6 ::ffff:192.0.2.7 ::1 0 65535\r\n"),
         ProxyHeader(version: 1, command: .proxy, transport: .tcp,
                     source: ProxyEndpoint(address: ip("192.0.2.7"), port: 0),
                     destination: ProxyEndpoint(address: ip("::1"), port: 65535), length: 41)),
        (v1("PROXY UNKNOWN\r\n"),
         ProxyHeader(version: 1, command: .proxy, transport: .unspecified, source: nil, destination: nil, length: 15)),
        (v1("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n"),
         ProxyHeader(version: 1, command: .proxy, transport: .unspecified, source: nil, destination: nil, length: 59)),
        (v2(family: 0x11, block: v4Block) + Array("EHLO".utf8),
         ProxyHeader(version: 2, command: .proxy, transport: .tcp,
                     source: ProxyEndpoint(address: ip("192.0.2.7"), port: 50000),
                     destination: ProxyEndpoint(address: ip("198.51.100.1"), port: 25), length: 28)),
        (v2(family: 0x21, block: v6Block),
         ProxyHeader(version: 2, command: .proxy, transport: .tcp,
                     source: ProxyEndpoint(address: ip("2001:db8::1"), port: 1234),
                     destination: ProxyEndpoint(address: ip("2001:db8::2"), port: 143), length: 52)),
        // TLVs after the addresses are skipped (here a PP2_TYPE_AUTHORITY "mx").
        (v2(family: 0x11, block: v4Block + [0x02, 0x00, 0x02, 0x6D, 0x78]),
         ProxyHeader(version: 2, command: .proxy, transport: .tcp,
                     source: ProxyEndpoint(address: ip("192.0.2.7"), port: 50000),
                     destination: ProxyEndpoint(address: ip("198.51.100.1"), port: 25), length: 33)),
        (v2(command: 0x20, family: 0x11, block: v4Block),       // LOCAL: addresses ignored
         ProxyHeader(version: 2, command: .local, transport: .tcp, source: nil, destination: nil, length: 28)),
        (v2(command: 0x20, family: 0x00, block: []),
         ProxyHeader(version: 2, command: .local, transport: .unspecified, source: nil, destination: nil, length: 16)),
        (v2(family: 0x00, block: []),
         ProxyHeader(version: 2, command: .proxy, transport: .unspecified, source: nil, destination: nil, length: 16)),
        (v2(family: 0x31, block: [UInt8](repeating: 0, count: 216)),
         ProxyHeader(version: 2, command: .proxy, transport: .unix, source: nil, destination: nil, length: 232)),
        (v2(family: 0x12, block: v4Block),
         ProxyHeader(version: 2, command: .proxy, transport: .udp,
                     source: ProxyEndpoint(address: ip("192.0.2.7"), port: 50000),
                     destination: ProxyEndpoint(address: ip("198.51.100.1"), port: 25), length: 28)),
    ]

    @Test(arguments: parsedCases)
    func parses(bytes: [UInt8], expected: ProxyHeader) {
        #expect(ProxyHeaderParser.parse(bytes) == .parsed(expected))
    }

    /// Every strict prefix of a header is incomplete; so a header split anywhere is read
    /// once it is whole.
    @Test(arguments: parsedCases)
    func everyPrefixIsIncomplete(bytes: [UInt8], expected: ProxyHeader) {
        for cut in 0..<expected.length {
            #expect(ProxyHeaderParser.parse(bytes[0..<cut]) == .incomplete, "cut at \(cut)")
        }
        #expect(ProxyHeaderParser.parse(bytes[0..<expected.length]) == .parsed(expected))
    }

    static let invalidCases: [([UInt8], ProxyHeaderError)] = [
        (v1("EHLO example.com\r\n"), .notProxyProtocol),
        (v1("POST / HTTP/1.1\r\n"), .notProxyProtocol),
        (v1("proxy TCP4 192.0.2.7 198.51.100.1 1 2\r\n"), .notProxyProtocol),
        (v1("PROXY TCP4 192.0.2.7 198.51.100.1 50000 25\n"), .invalidV1("line not ended by CRLF")),
        (v1("PROXY TCP4 192.0.2.7 198.51.100.1 50000\r\n"), .invalidV1("expected 6 fields, got 5")),
        (v1("PROXY TCP4  192.0.2.7 198.51.100.1 50000 25\r\n"), .invalidV1("expected 6 fields, got 7")),
        (v1("PROXY TCP4 192.0.2.7 198.51.100.1 50000 25 \r\n"), .invalidV1("expected 6 fields, got 7")),
        (v1("PROXY TCP4 2001:db8::1 198.51.100.1 50000 25\r\n"), .invalidV1("bad source 2001:db8::1 50000")),
        (v1("PROXY TCP6 192.0.2.7 2001:db8::2 50000 25\r\n"), .invalidV1("bad source 192.0.2.7 50000")),
        (v1("PROXY TCP4 192.0.2.7 198.51.100.1 65536 25\r\n"), .invalidV1("bad source 192.0.2.7 65536")),
        (v1("PROXY TCP4 192.0.2.7 198.51.100.1 050 25\r\n"), .invalidV1("bad source 192.0.2.7 050")),
        (v1("PROXY TCP4 192.0.2.7 198.51.100.999 50 25\r\n"), .invalidV1("bad destination 198.51.100.999 25")),
        (v1("PROXY UDP4 192.0.2.7 198.51.100.1 50 25\r\n"), .invalidV1("unknown protocol UDP4")),
        (v1("PROXY TCP4 192.0.2.7\r198.51.100.1 50 25\r\n"), .invalidV1("CR inside the line")),
        (v1("PROXY UNKNOWN " + String(repeating: "x", count: 100)), .tooLong),
        (v1("PROXY UNKNOWN " + String(repeating: "x", count: 100) + "\r\n"), .tooLong),
        (signature.dropLast() + [0x0B], .notProxyProtocol),
        (v2(command: 0x11, family: 0x11, block: v4Block), .invalidV2("version 1")),
        (v2(command: 0x22, family: 0x11, block: v4Block), .invalidV2("command 2")),
        (v2(family: 0x13, block: v4Block), .invalidV2("transport 3")),
        (v2(family: 0x41, block: v4Block), .invalidV2("address family 4")),
        (v2(family: 0x11, block: Array(v4Block.prefix(8))), .invalidV2("IPv4 address block of 8 bytes")),
        (v2(family: 0x21, block: v4Block), .invalidV2("IPv6 address block of 12 bytes")),
        (v2(family: 0x31, block: v4Block), .invalidV2("UNIX address block of 12 bytes")),
        (v2(family: 0x11, block: [], declaredLength: GuardLimits.proxyV2MaxVariableLength + 1), .tooLong),
        ([0x16, 0x03, 0x01], .notProxyProtocol),   // a TLS ClientHello
    ]

    @Test(arguments: invalidCases)
    func refuses(bytes: [UInt8], error: ProxyHeaderError) {
        #expect(ProxyHeaderParser.parse(bytes) == .invalid(error))
    }

    @Test func waitsForDeclaredLength() {
        let header = Self.v2(family: 0x11, block: Self.v4Block + [UInt8](repeating: 0, count: 100))
        #expect(ProxyHeaderParser.parse(header.dropLast()) == .incomplete)
        #expect(ProxyHeaderParser.parse(Self.v1("PROXY TCP4 192.0.2.7 198.51.100.1 50000 25\r")) == .incomplete)
        #expect(ProxyHeaderParser.parse(Self.v1("PROXY UNKNOWN " + String(repeating: "x", count: 90))) == .incomplete)
    }

    /// Random bytes after a valid start never crash and never claim more bytes than given.
    @Test func randomInputIsBounded() {
        var random = SplitMix64(seed: 7)
        let starts: [[UInt8]] = [Array("PROXY ".utf8), Self.signature, [], Array("PROXY TCP4 ".utf8)]
        for _ in 0..<3000 {
            let start = starts[Int(random.next() % UInt64(starts.count))]
            let tail = (0..<Int(random.next() % 300)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let bytes = start + tail
            if case let .parsed(header) = ProxyHeaderParser.parse(bytes) {
                #expect(header.length <= bytes.count)
            }
        }
    }
}
