import Testing
import FacteurDNS
@testable import FacteurRouter

struct ChecklistTextRendererTests {
    @Test func rendersTheWholeChecklist() {
        let expected = """
        Router and DNS checklist for mail.example.com

        This machine
          eth0   192.168.1.10/24
          wlan0  fe80::10/64 (link-local)
          Default gateway: 192.168.1.1 (eth0)
          Public address: 203.0.113.7 (configured)

        Enter on the router (port forwarding):
          TCP 25 → 192.168.1.10:2525    (SMTP)
          TCP 20143 → 192.168.1.10:143  (IMAP)

        Facteur listeners
          ✔ SMTP listener is bound (0.0.0.0:2525): Something accepts connections on 0.0.0.0:2525.

        Router
          ? SMTP is reachable on the public address (optional): No answer from 203.0.113.7:25 within 3 s.
              → Enter the rule TCP 25 → 192.168.1.10:2525 on the router.
          ! Inbound port 25 may be blocked by the access provider (optional): Many access providers block inbound port 25.
              → There is no alternative port for SMTP.

        DNS
          ✘ MX of example.com names mail.example.com: example.com has no MX record.
              → At your DNS provider, add the record: example.com. MX 10 mail.example.com.

        1 passed, 1 failed, 1 warning, 1 unknown: some required checks did not pass.

        """
        #expect(ChecklistTextRenderer.text(for: ChecklistFixtures.sample) == expected)
    }

    @Test func asciiModeHasNoUnicodeSymbols() {
        let text = ChecklistTextRenderer.text(for: ChecklistFixtures.sample, ascii: true)
        let nonASCII = text.unicodeScalars.filter { !$0.isASCII }
        #expect(nonASCII.isEmpty)
        #expect(text.contains("[FAIL] MX of example.com"))
        #expect(text.contains("TCP 25 -> 192.168.1.10:2525"))
    }

    @Test func lineKindsCarryStatusForColour() {
        let lines = ChecklistTextRenderer.lines(for: ChecklistFixtures.sample)
        #expect(lines.filter { $0.kind == .item(.fail) }.count == 1)
        #expect(lines.filter { $0.kind == .rule }.count == 2)
        #expect(lines.last?.kind == .summary(passed: false))
    }

    @Test func unknownPublicAddressAndNoRules() {
        var checklist = ChecklistFixtures.sample
        checklist.publicAddress = nil
        checklist.publicAddressSource = nil
        checklist.rules = []
        checklist.gateways = []
        let text = ChecklistTextRenderer.text(for: checklist)
        #expect(text.contains("  Public address: unknown\n"))
        #expect(text.contains("  Default gateway: none\n"))
        #expect(text.contains("  No rule: no enabled listener has a LAN address.\n"))
    }
}
