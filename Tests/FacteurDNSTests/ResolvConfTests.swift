import Foundation
import Testing
@testable import FacteurDNS

struct ResolvConfTests {
    @Test func readsNameserversInOrder() {
        let text = """
        # generated
        search example.com
        nameserver 10.0.0.53
        ; comment
        nameserver\t2001:db8::53
        nameserver resolver.example
        nameserver 10.0.0.54
        nameserver 10.0.0.55
        options ndots:2
        """
        #expect(ResolvConf.nameservers(in: text).map(\.description) == ["10.0.0.53:53", "[2001:db8::53]:53", "10.0.0.54:53"])
    }

    @Test func emptyWhenNoNameserver() {
        #expect(ResolvConf.nameservers(in: "search example\n#nameserver 1.2.3.4\n").isEmpty)
    }

    @Test func systemResolverUsesFirstNameserverOfTheFile() throws {
        let path = "/tmp/facteur-resolv-\(UInt32.random(in: 0 ... .max)).conf"
        try "nameserver 127.0.0.9\nnameserver 127.0.0.10\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(DNSResolver.system(resolvConfPath: path)?.nameserver.description == "127.0.0.9:53")
        #expect(DNSResolver.system(resolvConfPath: path + ".missing") == nil)
    }
}

