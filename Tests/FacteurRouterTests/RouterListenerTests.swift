import Testing
import FacteurDNS
@testable import FacteurRouter

struct RouterListenerTests {
    @Test(arguments: [
        ("0.0.0.0:2525", "0.0.0.0", 2525, true, "127.0.0.1:2525"),
        ("[::]:143", "::", 143, true, "[::1]:143"),
        ("*:110", "*", 110, true, "127.0.0.1:110"),
        (":25", "", 25, true, "127.0.0.1:25"),
        ("192.168.1.10:993", "192.168.1.10", 993, false, "192.168.1.10:993"),
        ("[2001:db8::10]:25", "2001:db8::10", 25, false, "[2001:db8::10]:25"),
    ])
    func parsesAddress(text: String, host: String, port: UInt16, wildcard: Bool, selfTarget: String) throws {
        let listener = try #require(RouterListener(service: .smtp, address: text))
        #expect(listener.host == host)
        #expect(listener.port == port)
        #expect(listener.isWildcard == wildcard)
        #expect(listener.selfTarget?.description == selfTarget)
    }

    @Test(arguments: ["", "25", "mail.example.com:25", "0.0.0.0:99999", "0.0.0.0:"])
    func rejectsBadAddress(text: String) {
        #expect(RouterListener(service: .smtp, address: text) == nil)
    }

    @Test func greetingDefaultsPerService() {
        #expect(RouterListener(service: .smtp, host: "*", port: 25).expectedGreeting == "220")
        #expect(RouterListener(service: .imap, host: "*", port: 143).expectedGreeting == "* OK")
        #expect(RouterListener(service: .pop3, host: "*", port: 110).expectedGreeting == "+OK")
        #expect(RouterListener(service: .imaps, host: "*", port: 993).expectedGreeting == nil)
        #expect(RouterListener(service: .smtp, host: "*", port: 25, expectedGreeting: "220 mx ESMTP Facteur").expectedGreeting == "220 mx ESMTP Facteur")
    }

    @Test func publicPortDefaultsToStandard() {
        let config = RouterCheckConfig(hostname: "mx", domains: [], listeners: [], publicPorts: [.imap: 20143])
        #expect(config.publicPort(for: .imap) == 20143)
        #expect(config.publicPort(for: .smtp) == 25)
        #expect(config.publicPort(for: .pop3s) == 995)
    }
}

extension RouterListenerTests {
    @Test func bracketedHostIsNormalised() {
        let listener = RouterListener(service: .imap, host: "[::]", port: 143)
        #expect(listener.host == "::")
        #expect(listener.isWildcard)
        #expect(listener.localText == "[::]:143")
        #expect(RouterListener(service: .imap, host: "*", port: 143).localText == "*:143")
        #expect(RouterListener(service: .imap, host: "192.168.1.10", port: 143).localText == "192.168.1.10:143")
    }
}
