import Foundation
import FacteurCore
import Testing
@testable import FacteurConsole

/// The Overview counts the end-of-DATA checks (issue #15): nothing until a message was checked,
/// then SPF/DKIM/DMARC pass and fail, greylisted, spam-rejected and Junk, folded from events.
@Suite struct OverviewChecksTests {
    typealias F = Fixtures

    @Test func theOverviewCountsTheChecks() {
        var model = F.model
        let before = F.screen(model, ConsoleState(), rows: 40, columns: 160)
        #expect(!before.contains { $0.contains("Mail checks") })
        model.apply(F.event(.delivered(Delivery(connection: nil, remoteAddress: "192.0.2.7", sender: "a@good.example",
                                                recipients: ["bob@example.test"], size: 10,
                                                checks: CheckOutcome(spf: "pass", dkim: "pass", dmarc: "pass")))))
        model.apply(F.event(.delivered(Delivery(connection: nil, remoteAddress: "192.0.2.8", sender: "x@shady.example",
                                                recipients: ["bob@example.test"], size: 10,
                                                checks: CheckOutcome(spf: "neutral", dkim: "none", dmarc: "fail", junk: true)))))
        model.apply(F.event(.rejected(Rejection(connection: nil, service: .smtp, remoteAddress: "192.0.2.9", rule: CheckCounters.greylistRule,
                                                reason: "451 Greylisted"))))
        let lines = F.screen(model, ConsoleState(), rows: 40, columns: 160)
        let row = lines.first { $0.hasPrefix("  Mail checks ") } ?? ""
        #expect(row.hasPrefix("  Mail checks  SPF 1 pass / 0 fail DKIM 1 pass / 0 fail DMARC 1 pass / 1 fail   Greylisted 1   Spam rejected 0   Junk 1"),
                "\(row)")
    }
}
