import Foundation
import Testing
@testable import FacteurConsole

@Suite struct KeyTableTests {
    /// Every key of every binding triggers that binding's action in every panel it is for —
    /// unless a panel binding deliberately takes the same key there (then help shows that one).
    @Test func everyKeyDispatchesToItsAction() {
        for b in KeyTable.bindings {
            for panel in Panel.allCases where b.applies(to: panel) {
                for key in b.keys {
                    let shadow = KeyTable.bindings.first { $0.applies(to: panel) && $0.keys.contains(key) }
                    #expect(shadow != nil)
                    if shadow?.panels != nil && b.panels == nil { continue }
                    #expect(KeyTable.action(for: key, in: panel) == b.action, "\(key.label) in \(panel.title)")
                }
            }
        }
    }

    /// No panel binding is shadowed by another panel binding for the same panel.
    @Test func panelBindingsDoNotCollide() {
        for panel in Panel.allCases {
            var seen: [Key: ConsoleAction] = [:]
            for b in KeyTable.bindings where b.panels?.contains(panel) == true {
                for k in b.keys {
                    #expect(seen[k] == nil, "\(k.label) bound twice in \(panel.title)")
                    seen[k] = b.action
                }
            }
        }
    }

    /// The help overlay lists every binding that works in the panel, with its keys and text.
    @Test func helpListsEveryBinding() {
        for panel in Panel.allCases {
            let help = HelpView.lines(for: panel).map(\.text).joined(separator: "\n")
            for b in KeyTable.bindings(for: panel) {
                #expect(help.contains(b.help), "\(b.help) missing from help of \(panel.title)")
                #expect(help.contains(b.keyLabel), "\(b.keyLabel) missing from help of \(panel.title)")
                for key in b.keys { #expect(KeyTable.action(for: key, in: panel) == b.action) }
            }
        }
    }

    @Test func requiredKeysExist() {
        let expectations: [(Key, Panel, ConsoleAction)] = [
            (.char("1"), .log, .showPanel(.overview)), (.char("7"), .overview, .showPanel(.log)),
            (.tab, .overview, .nextPanel), (.backTab, .overview, .previousPanel), (.char("?"), .router, .help),
            (.char("/"), .connections, .filter), (.char("s"), .blacklist, .cycleSort), (.char("j"), .log, .down),
            (.char("k"), .log, .up), (.pageUp, .rejections, .pageUp), (.pageDown, .rejections, .pageDown),
            (.home, .log, .home), (.end, .log, .end), (.enter, .mailboxes, .open), (.escape, .mailboxes, .back),
            (.char("q"), .overview, .quit), (.interrupt, .mailboxes, .quit),
            (.char("x"), .connections, .closeConnection), (.char("b"), .rejections, .banSelectedAddress),
            (.char("b"), .blacklist, .addBan), (.char("u"), .blacklist, .unban), (.char("e"), .blacklist, .extendBan),
            (.char("p"), .blacklist, .makeBanPermanent), (.char("a"), .mailboxes, .addUser),
            (.char("P"), .mailboxes, .setPassword), (.char("D"), .mailboxes, .deleteUser), (.char("r"), .router, .rerunRouter),
        ]
        for (key, panel, action) in expectations {
            #expect(KeyTable.action(for: key, in: panel) == action, "\(key.label) in \(panel.title)")
        }
        // Panel keys do nothing elsewhere.
        #expect(KeyTable.action(for: .char("x"), in: .blacklist) == nil)
        #expect(KeyTable.action(for: .char("D"), in: .connections) == nil)
    }

    @Test func panelOrderAndCycling() {
        #expect(Panel.allCases.map(\.title) == ["Overview", "Connections", "Rejections", "Blacklist", "Mailboxes", "Router", "Log"])
        #expect(Panel.log.next == .overview)
        #expect(Panel.overview.previous == .log)
        for p in Panel.allCases { #expect(p.next.previous == p) }
    }
}
