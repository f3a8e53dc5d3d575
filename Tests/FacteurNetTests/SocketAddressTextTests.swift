import Testing
@testable import FacteurNet

struct SocketAddressTextTests {
    @Test(arguments: [
        ("127.0.0.1:53", "127.0.0.1:53"),
        ("[::1]:5353", "[::1]:5353"),
        ("  10.0.0.1:1  ", "10.0.0.1:1"),
        ("192.0.2.1", "192.0.2.1:53"),
        ("2001:db8::1", "[2001:db8::1]:53"),
        ("[2001:db8::1]", "[2001:db8::1]:53"),
    ])
    func parses(text: String, expected: String) throws {
        #expect(try #require(SocketAddressText(text, defaultPort: 53)).description == expected)
    }

    @Test(arguments: ["", "host.example:53", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "[::1", "[::1]x", "127.0.0.1:5a", "127.0.0.1:053", "fe80::1%eth0"])
    func rejects(text: String) {
        #expect(SocketAddressText(text, defaultPort: 53) == nil)
    }

    @Test func requiresPortWithoutDefault() {
        #expect(SocketAddressText("127.0.0.1") == nil)
        #expect(SocketAddressText("127.0.0.1:25")?.port == 25)
    }
}
