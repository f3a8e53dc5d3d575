import Foundation
import Testing
import FacteurDNS
@testable import FacteurRouter

struct ChecklistJSONTests {
    func object(_ checklist: Checklist) throws -> [String: Any] {
        let data = try ChecklistJSON.encode(checklist)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func topLevelSchema() throws {
        let json = try object(ChecklistFixtures.sample)
        #expect(Set(json.keys) == ["schema", "hostname", "required_passed", "summary", "network", "rules", "sections"])
        #expect(json["schema"] as? String == "facteur.router-checklist/1")
        #expect(json["required_passed"] as? Bool == false)
        #expect(json["summary"] as? [String: Int] == ["pass": 1, "fail": 1, "warn": 1, "unknown": 1])
    }

    @Test func networkRulesAndItems() throws {
        let json = try object(ChecklistFixtures.sample)
        let network = try #require(json["network"] as? [String: Any])
        #expect(network["public_address"] as? String == "203.0.113.7")
        #expect(network["public_address_source"] as? String == "configured")
        let interfaces = try #require(network["interfaces"] as? [[String: Any]])
        #expect(interfaces.count == 2)
        #expect(Set(interfaces[0].keys) == ["interface", "address", "family", "prefix_length", "link_local"])
        #expect(interfaces[1]["family"] as? String == "ipv6")
        #expect(interfaces[1]["link_local"] as? Bool == true)
        let gateways = try #require(network["gateways"] as? [[String: Any]])
        #expect(gateways.first?["address"] as? String == "192.168.1.1")

        let rules = try #require(json["rules"] as? [[String: Any]])
        #expect(rules.count == 2)
        #expect(rules[1]["service"] as? String == "imap")
        #expect(rules[1]["protocol"] as? String == "tcp")
        #expect(rules[1]["public_port"] as? Int == 20143)
        #expect(rules[1]["lan_address"] as? String == "192.168.1.10")
        #expect(rules[1]["local_port"] as? Int == 143)
        #expect(rules[1]["text"] as? String == "TCP 20143 → 192.168.1.10:143")

        let sections = try #require(json["sections"] as? [[String: Any]])
        #expect(sections.map { $0["id"] as? String } == ["listeners", "router", "dns", "empty"])
        let items = try #require(sections[0]["items"] as? [[String: Any]])
        #expect(Set(items[0].keys) == ["id", "status", "required", "title", "detail", "advice"])
        #expect(items[0]["advice"] is NSNull)
        #expect(items[0]["status"] as? String == "pass")
    }

    @Test func unknownPublicAddressIsNull() throws {
        var checklist = ChecklistFixtures.sample
        checklist.publicAddress = nil
        checklist.publicAddressSource = nil
        let network = try #require(try object(checklist)["network"] as? [String: Any])
        #expect(network["public_address"] is NSNull)
        #expect(network["public_address_source"] is NSNull)
    }

    @Test func outputIsStable() throws {
        #expect(try ChecklistJSON.string(ChecklistFixtures.sample) == ChecklistJSON.string(ChecklistFixtures.sample))
        let compact = try ChecklistJSON.string(ChecklistFixtures.sample, pretty: false)
        #expect(compact.hasPrefix("{\"hostname\":\"mail.example.com\",\"network\":{"))
        #expect(!compact.contains("\n"))
    }

    @Test func lanAddressDecodesBack() throws {
        let address = LANAddress(interface: "eth0", address: ip("2001:db8::10"), prefixLength: 64)
        let decoded = try JSONDecoder().decode(LANAddress.self, from: try JSONEncoder().encode(address))
        #expect(decoded == address)
    }
}
