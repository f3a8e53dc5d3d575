import Testing
import FacteurDNS
@testable import FacteurRouter

struct PortForwardRuleTests {
    @Test(arguments: [
        (MailService.smtp, UInt16(25), "192.168.1.10", UInt16(25), "TCP 25 → 192.168.1.10:25", "TCP 25 -> 192.168.1.10:25"),
        (.smtp, 25, "192.168.1.10", 2525, "TCP 25 → 192.168.1.10:2525", "TCP 25 -> 192.168.1.10:2525"),
        (.imap, 20143, "192.168.1.10", 143, "TCP 20143 → 192.168.1.10:143", "TCP 20143 -> 192.168.1.10:143"),
        (.imaps, 993, "2001:db8::10", 993, "TCP 993 → [2001:db8::10]:993", "TCP 993 -> [2001:db8::10]:993"),
    ])
    func ruleText(service: MailService, publicPort: UInt16, lan: String, localPort: UInt16, text: String, ascii: String) {
        let rule = PortForwardRule(service: service, publicPort: publicPort, lanAddress: ip(lan), localPort: localPort)
        #expect(rule.text() == text)
        #expect(rule.text(ascii: true) == ascii)
    }

    @Test func ispNotes() throws {
        let smtp = try #require(ISPPortPolicy.note(for: .smtp, publicPort: 25))
        #expect(smtp.advice.contains("no alternative port"))
        let imap = try #require(ISPPortPolicy.note(for: .imap, publicPort: 143))
        #expect(imap.advice.contains("public 20143 → local 143"))
        #expect(ISPPortPolicy.note(for: .imap, publicPort: 20143) == nil)
        #expect(ISPPortPolicy.note(for: .imaps, publicPort: 993) == nil)
    }
}
