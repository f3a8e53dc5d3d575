import FacteurCore
import Foundation
import Testing

/// The snapshot's compact ban table (control protocol 2) and the check counters it travels with.
@Suite struct BanTableTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000.25)

    var bans: [BanInfo] {
        [BanInfo(network: "192.0.2.7/32", rule: "relay", reason: "relay attempt → gmail.com", evidence: ["RCPT TO:<v@gmail.com>", "ünïcode\n\u{0}"],
                 source: .automatic, created: t0, expires: t0.addingTimeInterval(86_400), hits: 300),
         BanInfo(network: "2001:db8::/48", rule: "manual", reason: "", evidence: [], source: .manual, created: t0, expires: nil, hits: 0)]
    }

    @Test func bansRoundTripExactly() throws {
        let bytes = BanTable.encode(bans)
        #expect(try BanTable.decode(bytes) == bans)
        #expect(try BanTable.decode(BanTable.encode([])) == [])
    }

    @Test func aCutOrCorruptTableIsAnErrorNotACrash() {
        let bytes = BanTable.encode(bans)
        for n in 0..<bytes.count {
            #expect(throws: BanTable.Malformed.self) { try BanTable.decode(Array(bytes.prefix(n))) }
        }
        #expect(throws: BanTable.Malformed.self) { try BanTable.decode([9] + bytes.dropFirst()) }
        // A count far beyond the bytes that follow.
        #expect(throws: BanTable.Malformed.self) { try BanTable.decode([BanTable.format, 0xFF, 0xFF, 0xFF, 0x0F]) }
        #expect(throws: BanTable.Malformed.self) { try BanTable.decode(bytes + [0]) }
    }

    @Test func tenThousandBansAreAFractionOfTheirJSON() throws {
        let many = (0..<10_000).map { i in
            BanInfo(network: "10.0.\(i / 256).\(i % 256)/32", rule: "manual", reason: "bench \(i)", evidence: [], source: .manual,
                    created: t0, expires: t0.addingTimeInterval(86_400), hits: 0)
        }
        let table = BanTable.encode(many)
        let json = try JSONEncoder().encode(many)
        #expect(table.count * 2 < json.count)
        var activity = ServerActivity(startTime: t0, bans: many)
        activity.apply(ServerEvent(time: t0, kind: .delivered(Delivery(connection: nil, remoteAddress: "192.0.2.1", sender: "a@b.example",
                                                                       recipients: ["c@example.test"], size: 1,
                                                                       checks: CheckOutcome(spf: "pass", dkim: "none", dmarc: "pass")))))
        let snap = ControlSnapshot(activity: activity, listeners: [], recentEvents: [], checklist: nil)
        let back = try ControlCodec.decode(ServerMessage.self, from: try ControlCodec.payload(ServerMessage.snapshot(snap)))
        guard case let .snapshot(s) = back else { Issue.record("not a snapshot"); return }
        #expect(s.activity.bans == activity.bans)
        #expect(s.activity.counters == activity.counters)
        #expect(s.activity.counters.checks.spfPass == 1)
    }

    @Test func checkCountersFoldFromDeliveriesAndRejections() {
        var a = ServerActivity(startTime: t0)
        func deliver(_ c: CheckOutcome?) {
            a.apply(ServerEvent(time: t0, kind: .delivered(Delivery(connection: nil, remoteAddress: "192.0.2.1", sender: "", recipients: ["x@example.test"],
                                                                    size: 1, checks: c))))
        }
        func reject(_ rule: String, _ c: CheckOutcome?) {
            a.apply(ServerEvent(time: t0, kind: .rejected(Rejection(connection: nil, service: .smtp, remoteAddress: "192.0.2.1", rule: rule,
                                                                    reason: "r", checks: c))))
        }
        deliver(nil)
        #expect(a.counters.checks.isEmpty)
        deliver(CheckOutcome(spf: "pass", dkim: "pass", dmarc: "pass"))
        deliver(CheckOutcome(spf: "softfail", dkim: "none", dmarc: "fail", junk: true))
        deliver(CheckOutcome(spf: "neutral", dkim: "fail", dmarc: "none"))
        reject("dmarc", CheckOutcome(spf: "fail", dkim: "none", dmarc: "fail"))
        reject(CheckCounters.greylistRule, nil)
        reject(CheckCounters.spamRule, CheckOutcome(spf: "pass", dkim: "pass", dmarc: "pass"))
        reject("relay", nil)
        let c = a.counters.checks
        #expect((c.spfPass, c.spfFail) == (2, 2))
        #expect((c.dkimPass, c.dkimFail) == (2, 1))
        #expect((c.dmarcPass, c.dmarcFail) == (2, 2))
        #expect((c.greylisted, c.spamRejected, c.junkDelivered) == (1, 1, 1))
    }
}
