import FacteurDNS
@testable import FacteurRouter

/// A small fixed checklist for renderer and JSON tests.
enum ChecklistFixtures {
    static let sample = Checklist(
        hostname: "mail.example.com",
        interfaces: [LANAddress(interface: "eth0", address: ip("192.168.1.10"), prefixLength: 24),
                     LANAddress(interface: "wlan0", address: ip("fe80::10"), prefixLength: 64)],
        gateways: [DefaultGateway(interface: "eth0", address: ip("192.168.1.1"), metric: 100)],
        publicAddress: ip("203.0.113.7"), publicAddressSource: .configured,
        rules: [PortForwardRule(service: .smtp, publicPort: 25, lanAddress: ip("192.168.1.10"), localPort: 2525),
                PortForwardRule(service: .imap, publicPort: 20143, lanAddress: ip("192.168.1.10"), localPort: 143)],
        sections: [
            ChecklistSection(id: "listeners", title: "Facteur listeners", items: [
                ChecklistItem(id: "listener.smtp-2525.bound", status: .pass, required: true,
                              title: "SMTP listener is bound (0.0.0.0:2525)", detail: "Something accepts connections on 0.0.0.0:2525."),
            ]),
            ChecklistSection(id: "router", title: "Router", items: [
                ChecklistItem(id: "router.smtp-25.public", status: .unknown, required: false,
                              title: "SMTP is reachable on the public address", detail: "No answer from 203.0.113.7:25 within 3 s.",
                              advice: "Enter the rule TCP 25 → 192.168.1.10:2525 on the router."),
                ChecklistItem(id: "router.smtp-25.isp", status: .warn, required: false,
                              title: "Inbound port 25 may be blocked by the access provider", detail: "Many access providers block inbound port 25.",
                              advice: "There is no alternative port for SMTP."),
            ]),
            ChecklistSection(id: "dns", title: "DNS", items: [
                ChecklistItem(id: "dns.example.com.mx", status: .fail, required: true,
                              title: "MX of example.com names mail.example.com", detail: "example.com has no MX record.",
                              advice: "At your DNS provider, add the record: example.com. MX 10 mail.example.com."),
            ]),
            ChecklistSection(id: "empty", title: "Empty", items: []),
        ])
}
