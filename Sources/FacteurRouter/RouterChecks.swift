import FacteurDNS
import FacteurNet

/// Checks about the router: is the public address known, does a connection to it reach
/// Facteur, which ports the access provider may block.
public enum RouterChecks {
    public static func publicAddress(_ address: IPAddress?, source: Checklist.PublicAddressSource?, discoveryEnabled: Bool) -> ChecklistItem {
        var item = ChecklistItem(id: "router.public-address", status: .unknown, required: false,
                                 title: "Public address is known", detail: "")
        if let address {
            item.status = .pass
            item.detail = "\(address) (\(source == .discovered ? "discovered from the router" : "from the configuration"))."
        } else {
            item.detail = discoveryEnabled ? "The router did not tell its public address." : "No public address configured; discovery is off."
            item.advice = "Set public_address in the configuration; the router's status page shows it (\"WAN\" or \"Internet\" address)."
        }
        return item
    }

    /// A connection to `public:publicPort` made from inside the office.
    public static func publicReach(_ rule: PortForwardRule, listener: RouterListener, publicAddress: IPAddress?,
                                   probe: ProbeResult?, timeout: Duration) -> ChecklistItem {
        let name = listener.service.displayName
        var item = ChecklistItem(id: "router.\(listener.service.rawValue)-\(rule.publicPort).public", status: .unknown,
                                 required: false, title: "\(name) is reachable on the public address", detail: "")
        guard let publicAddress, let probe else {
            item.detail = "Not tested: the public address is unknown."
            item.advice = "Set public_address in the configuration to test the rule \(rule.text())."
            return item
        }
        let target = SocketAddressText(address: publicAddress, port: rule.publicPort)
        let hairpin = "Some routers cannot loop a connection from inside back to their own public address (NAT loopback): "
            + "if the rule is right, test from outside, e.g. from a phone on mobile data."
        let isp = ISPPortPolicy.note(for: listener.service, publicPort: rule.publicPort).map { " " + $0.advice } ?? ""
        switch GreetingMatch.evaluate(probe, expected: listener.expectedGreeting) {
        case .matches(let line):
            item.status = .pass
            item.detail = line.map { "\(target) answered \"\($0)\"." } ?? "\(target) accepted the connection."
        case .timedOut, .silent:
            item.detail = "No answer from \(target) within \(ListenerChecks.seconds(timeout))."
            item.advice = "Enter the rule \(rule.text()) on the router. " + hairpin + isp
        case .refused:
            item.status = .fail
            item.detail = "Connection to \(target) was refused."
            item.advice = "The router has no rule for port \(rule.publicPort): enter \(rule.text()). " + hairpin
        case .other(let line):
            item.status = .fail
            item.detail = "\(target) answered \"\(line)\", which is not Facteur."
            item.advice = "Port \(rule.publicPort) is forwarded elsewhere or used by the router itself: make it \(rule.text())."
        case .closed:
            item.status = .fail
            item.detail = "\(target) closed the connection without a greeting."
            item.advice = "Check that the rule is \(rule.text()). " + hairpin
        case .failed(let why):
            item.detail = "Could not connect to \(target): \(why)."
        }
        return item
    }

    /// Inbound SMTP only works on public port 25 (RFC 5321 §4.5.4.2: MX delivery uses port 25).
    public static func smtpPort(_ rule: PortForwardRule) -> ChecklistItem? {
        guard rule.service == .smtp, rule.publicPort != 25 else { return nil }
        return ChecklistItem(id: "router.smtp-\(rule.publicPort).port", status: .fail, required: true,
                             title: "SMTP uses public port 25",
                             detail: "SMTP is forwarded from public port \(rule.publicPort); other mail servers only deliver to port 25.",
                             advice: "Forward public port 25: TCP 25 → \(rule.target).")
    }

    public static func ispBlocking(_ rule: PortForwardRule) -> ChecklistItem? {
        guard let note = ISPPortPolicy.note(for: rule.service, publicPort: rule.publicPort) else { return nil }
        return ChecklistItem(id: "router.\(rule.service.rawValue)-\(rule.publicPort).isp", status: .warn, required: false,
                             title: "Inbound port \(rule.publicPort) may be blocked by the access provider",
                             detail: note.detail, advice: note.advice)
    }
}
