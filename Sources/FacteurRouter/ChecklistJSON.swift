import Foundation
import FacteurDNS

/// JSON output of `facteur check --json`. The schema is stable; additions bump nothing,
/// a change of meaning or removal bumps `schema`.
///
/// ```
/// {
///   "schema": "facteur.router-checklist/1",
///   "hostname": "mail.example.com",
///   "required_passed": false,                      // exit code 0 when true, 1 otherwise
///   "summary": {"pass": 9, "fail": 1, "warn": 2, "unknown": 1},
///   "network": {
///     "interfaces": [{"interface": "eth0", "address": "192.168.1.10", "family": "ipv4",
///                     "prefix_length": 24, "link_local": false}],
///     "gateways": [{"interface": "eth0", "address": "192.168.1.1", "family": "ipv4", "metric": 0}],
///     "public_address": "203.0.113.7" | null,
///     "public_address_source": "configured" | "discovered" | null
///   },
///   "rules": [{"service": "smtp", "protocol": "tcp", "public_port": 25,
///              "lan_address": "192.168.1.10", "local_port": 2525, "text": "TCP 25 → 192.168.1.10:2525"}],
///   "sections": [{"id": "listeners", "title": "Facteur listeners",
///                 "items": [{"id": "listener.smtp-2525.bound", "status": "pass" | "fail" | "warn" | "unknown",
///                            "required": true, "title": "…", "detail": "…", "advice": "…" | null}]}]
/// }
/// ```
/// Keys are sorted; every key is always present (null when there is no value).
public enum ChecklistJSON {
    public static let schema = "facteur.router-checklist/1"

    public static func encode(_ checklist: Checklist, pretty: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(Document(checklist))
    }

    public static func string(_ checklist: Checklist, pretty: Bool = true) throws -> String {
        String(decoding: try encode(checklist, pretty: pretty), as: UTF8.self)
    }

    struct Document: Encodable {
        let checklist: Checklist
        init(_ checklist: Checklist) { self.checklist = checklist }

        enum Keys: String, CodingKey {
            case schema, hostname, requiredPassed = "required_passed", summary, network, rules, sections
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(ChecklistJSON.schema, forKey: .schema)
            try container.encode(checklist.hostname, forKey: .hostname)
            try container.encode(checklist.requiredPassed, forKey: .requiredPassed)
            var summary: [String: Int] = [:]
            for status in CheckStatus.allCases { summary[status.rawValue] = checklist.count(status) }
            try container.encode(summary, forKey: .summary)
            try container.encode(Network(checklist), forKey: .network)
            try container.encode(checklist.rules.map(Rule.init), forKey: .rules)
            try container.encode(checklist.sections.map(Section.init), forKey: .sections)
        }
    }

    struct Network: Encodable {
        let interfaces: [LANAddress]
        let gateways: [DefaultGateway]
        let publicAddress: String?
        let source: String?

        init(_ checklist: Checklist) {
            interfaces = checklist.interfaces
            gateways = checklist.gateways
            publicAddress = checklist.publicAddress?.description
            source = checklist.publicAddressSource?.rawValue
        }

        enum Keys: String, CodingKey { case interfaces, gateways, publicAddress = "public_address", source = "public_address_source" }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(interfaces, forKey: .interfaces)
            try container.encode(gateways, forKey: .gateways)
            try container.encode(publicAddress, forKey: .publicAddress)
            try container.encode(source, forKey: .source)
        }
    }

    struct Rule: Encodable {
        let service: String
        let `protocol` = "tcp"
        let publicPort: UInt16
        let lanAddress: String
        let localPort: UInt16
        let text: String

        init(_ rule: PortForwardRule) {
            service = rule.service.rawValue
            publicPort = rule.publicPort
            lanAddress = rule.lanAddress.description
            localPort = rule.localPort
            text = rule.text()
        }

        enum CodingKeys: String, CodingKey {
            case service, `protocol`, publicPort = "public_port", lanAddress = "lan_address", localPort = "local_port", text
        }
    }

    struct Section: Encodable {
        let id: String
        let title: String
        let items: [Item]

        init(_ section: ChecklistSection) {
            id = section.id
            title = section.title
            items = section.items.map(Item.init)
        }
    }

    struct Item: Encodable {
        let item: ChecklistItem
        init(_ item: ChecklistItem) { self.item = item }

        enum Keys: String, CodingKey { case id, status, required, title, detail, advice }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(item.id, forKey: .id)
            try container.encode(item.status.rawValue, forKey: .status)
            try container.encode(item.required, forKey: .required)
            try container.encode(item.title, forKey: .title)
            try container.encode(item.detail, forKey: .detail)
            try container.encode(item.advice, forKey: .advice)
        }
    }
}
