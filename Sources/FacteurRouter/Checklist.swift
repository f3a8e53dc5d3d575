import FacteurDNS
import FacteurNet

/// The outcome of one check.
public enum CheckStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case pass, fail, warn, unknown

    /// ✔ ✘ ! ? — or ASCII for terminals that cannot show them.
    public func symbol(ascii: Bool = false) -> String {
        switch (self, ascii) {
        case (.pass, false): "✔"
        case (.fail, false): "✘"
        case (.warn, false): "!"
        case (.unknown, false): "?"
        case (.pass, true): "[ok]"
        case (.fail, true): "[FAIL]"
        case (.warn, true): "[warn]"
        case (.unknown, true): "[?]"
        }
    }
}

/// One line of the checklist: what was checked, what was found, what to do.
public struct ChecklistItem: Sendable, Hashable {
    /// Stable machine name, e.g. `listener.smtp.bound`, `dns.example.com.mx`.
    public var id: String
    public var status: CheckStatus
    /// Counts for `Checklist.requiredPassed` (and so for the CLI exit code).
    public var required: Bool
    public var title: String
    /// One line: what was found.
    public var detail: String
    /// What to do; nil when there is nothing to do.
    public var advice: String?

    public init(id: String, status: CheckStatus, required: Bool, title: String, detail: String, advice: String? = nil) {
        self.id = id
        self.status = status
        self.required = required
        self.title = title
        self.detail = detail
        self.advice = advice
    }
}

public struct ChecklistSection: Sendable, Hashable {
    /// `network`, `listeners`, `router`, `dns`.
    public var id: String
    public var title: String
    public var items: [ChecklistItem]

    public init(id: String, title: String, items: [ChecklistItem]) {
        self.id = id
        self.title = title
        self.items = items
    }
}

/// Everything `facteur check` and the console's router panel show.
public struct Checklist: Sendable, Hashable {
    public enum PublicAddressSource: String, Sendable, Hashable, Codable { case configured, discovered }

    public var hostname: String
    public var interfaces: [LANAddress]
    public var gateways: [DefaultGateway]
    public var publicAddress: IPAddress?
    public var publicAddressSource: PublicAddressSource?
    /// Port-forwarding rules to enter on the router, one per enabled listener that has a LAN address.
    public var rules: [PortForwardRule]
    public var sections: [ChecklistSection]

    public init(hostname: String, interfaces: [LANAddress], gateways: [DefaultGateway], publicAddress: IPAddress?,
                publicAddressSource: PublicAddressSource?, rules: [PortForwardRule], sections: [ChecklistSection]) {
        self.hostname = hostname
        self.interfaces = interfaces
        self.gateways = gateways
        self.publicAddress = publicAddress
        self.publicAddressSource = publicAddressSource
        self.rules = rules
        self.sections = sections
    }

    public var items: [ChecklistItem] { sections.flatMap(\.items) }

    /// True when every required item passed: the CLI exits 0, otherwise 1.
    public var requiredPassed: Bool { items.allSatisfy { !$0.required || $0.status == .pass } }

    /// The exit code `facteur check` should use.
    public var exitCode: Int32 { requiredPassed ? 0 : 1 }

    public func item(_ id: String) -> ChecklistItem? { items.first { $0.id == id } }

    public func count(_ status: CheckStatus) -> Int { items.filter { $0.status == status }.count }
}
