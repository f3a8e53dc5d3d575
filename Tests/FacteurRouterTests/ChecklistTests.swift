import Testing
import FacteurDNS
@testable import FacteurRouter

struct ChecklistTests {
    func checklist(_ items: [ChecklistItem]) -> Checklist {
        Checklist(hostname: "mx", interfaces: [], gateways: [], publicAddress: nil, publicAddressSource: nil, rules: [],
                  sections: [ChecklistSection(id: "s", title: "S", items: items)])
    }

    func item(_ status: CheckStatus, required: Bool) -> ChecklistItem {
        ChecklistItem(id: "\(status)-\(required)", status: status, required: required, title: "t", detail: "d")
    }

    @Test(arguments: [
        ([(CheckStatus.pass, true), (.warn, false), (.unknown, false), (.fail, false)], true),
        ([(.pass, true), (.fail, true)], false),
        ([(.pass, true), (.unknown, true)], false),
        ([(.warn, true)], false),
        ([], true),
    ] as [([(CheckStatus, Bool)], Bool)])
    func requiredPassed(items: [(CheckStatus, Bool)], expected: Bool) {
        let list = checklist(items.map { item($0.0, required: $0.1) })
        #expect(list.requiredPassed == expected)
        #expect(list.exitCode == (expected ? 0 : 1))
    }

    @Test func symbols() {
        #expect(CheckStatus.allCases.map { $0.symbol() } == ["✔", "✘", "!", "?"])
        #expect(CheckStatus.allCases.map { $0.symbol(ascii: true) } == ["[ok]", "[FAIL]", "[warn]", "[?]"])
    }
}
