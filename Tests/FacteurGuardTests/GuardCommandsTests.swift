import FacteurTestSupport
import Foundation
import Testing
@testable import FacteurGuard
import FacteurNet

@Suite struct GuardCommandsTests {
    let client = IPAddress(ipv4: 0xC000_0207) // 192.0.2.7

    func relay(_ guardian: inout Guard, at time: Date) -> Ban? {
        guardian.record(.relayAttempt, address: client, service: .smtp, sessionID: 1, evidence: ["RCPT"], now: time).bans.first
    }

    @Test func manualBanDefaults() throws {
        var guardian = Guard()
        let ban = try guardian.ban(network: net("192.0.2.0/24"), reason: "admin", now: t0)
        #expect(ban.source == .manual)
        #expect(ban.rule == .manual)
        #expect(ban.expires == at(day))
        #expect(try guardian.ban(network: net("192.0.2.0/25"), duration: hour, reason: "x", now: t0).expires == at(hour))
        #expect(try guardian.ban(network: net("192.0.3.0/24"), permanent: true, reason: "x", now: t0).expires == nil)
        #expect(guardian.banCount == 3)
        #expect(guardian.bans.map(\.network) == [net("192.0.2.0/24"), net("192.0.2.0/25"), net("192.0.3.0/24")])
    }

    @Test(arguments: ["127.0.0.1", "::1", "::ffff:127.0.0.1"])
    func cannotBanNeverBanNetwork(text: String) {
        var guardian = Guard()
        #expect(throws: GuardError.protectedNetwork(net(text))) {
            try guardian.ban(network: net(text), reason: "oops", now: t0)
        }
    }

    @Test func unbanForgetsHistory() throws {
        var policy = GuardPolicy()
        policy.escalation = [day, 7 * day]
        var guardian = Guard(policy: policy)
        _ = relay(&guardian, at: t0)
        let lifted = try guardian.unban(network: IPNetwork(host: client))
        #expect(lifted.rule == .relayAttempt)
        #expect(guardian.admit(address: client, service: .smtp, now: at(1)) == .allow)
        // Forgiven: the next offence is a first offence again.
        #expect(relay(&guardian, at: at(2))?.offenceCount == 1)
        #expect(throws: GuardError.noSuchBan(net("198.51.100.0/24"))) { try guardian.unban(network: net("198.51.100.0/24")) }
    }

    @Test func unbanCoveringAddress() throws {
        var guardian = Guard()
        try guardian.ban(network: net("192.0.2.0/24"), reason: "a", now: t0)
        try guardian.ban(network: net("192.0.2.7"), reason: "b", now: t0)
        try guardian.ban(network: net("192.0.3.0/24"), reason: "c", now: t0)
        #expect(Set(guardian.unban(covering: client).map(\.reason)) == ["a", "b"])
        #expect(guardian.banCount == 1)
    }

    @Test func extendAndMakePermanent() throws {
        var guardian = Guard()
        try guardian.ban(network: net("192.0.2.7"), duration: hour, reason: "x", now: t0)
        #expect(try guardian.extend(network: net("192.0.2.7"), by: hour, now: at(10)).expires == at(2 * hour))
        // An already-ended ban is extended from now.
        #expect(try guardian.extend(network: net("192.0.2.7"), by: hour, now: at(5 * hour)).expires == at(6 * hour))
        #expect(try guardian.makePermanent(network: net("192.0.2.7")).expires == nil)
        #expect(try guardian.extend(network: net("192.0.2.7"), by: hour, now: t0).expires == nil)
        #expect(guardian.expire(now: at(1000 * day)).isEmpty)
        #expect(throws: GuardError.noSuchBan(net("192.0.2.8"))) { try guardian.makePermanent(network: net("192.0.2.8")) }
    }

    @Test(arguments: [(day - 1, 0), (day, 1), (day + 1, 1)])
    func expireIsExactToTheSecond(offset: TimeInterval, expired: Int) {
        var guardian = Guard()
        _ = relay(&guardian, at: t0)
        let ended = guardian.expire(now: at(offset))
        #expect(ended.count == expired)
        #expect(guardian.banCount == 1 - expired)
        #expect(guardian.expire(now: at(offset)).isEmpty)   // reported once
    }

    /// Escalation steps: offence → ban length.
    @Test func repeatOffenderEscalates() {
        var policy = GuardPolicy()
        policy.escalation = [day, 7 * day, 30 * day]
        var guardian = Guard(policy: policy)
        var now = t0
        var lengths: [TimeInterval?] = []
        var counts: [Int] = []
        for _ in 0..<4 {
            guard let ban = relay(&guardian, at: now) else { Issue.record("no ban"); return }
            lengths.append(ban.expires.map { $0.timeIntervalSince(now) })
            counts.append(ban.offenceCount)
            now = ban.expires ?? now
            #expect(guardian.expire(now: now).count == 1)
            now += 60   // comes back a minute after the ban ends
        }
        #expect(lengths == [day, 7 * day, 30 * day, 30 * day])
        #expect(counts == [1, 2, 3, 4])
    }

    @Test(arguments: [(29 * day, 2), (30 * day - 1, 2), (30 * day, 1), (60 * day, 1)])
    func escalationMemory(gapAfterBan: TimeInterval, expectedOffence: Int) {
        var policy = GuardPolicy()
        policy.escalation = [day, 7 * day]
        var guardian = Guard(policy: policy)
        _ = relay(&guardian, at: t0)
        _ = guardian.expire(now: at(day))
        let second = relay(&guardian, at: at(day + gapAfterBan))
        #expect(second?.offenceCount == expectedOffence)
        #expect(second?.expires == at(day + gapAfterBan + (expectedOffence == 1 ? day : 7 * day)))
    }

    @Test func permanentAfterOffences() {
        var policy = GuardPolicy()
        policy.permanentAfterOffences = 2
        var guardian = Guard(policy: policy)
        _ = relay(&guardian, at: t0)
        _ = guardian.expire(now: at(day))
        #expect(relay(&guardian, at: at(day + 1))?.expires == nil)
    }

    @Test func addNeverBanLiftsBansInside() throws {
        var guardian = Guard()
        _ = relay(&guardian, at: t0)                                            // 192.0.2.7/32
        try guardian.ban(network: net("192.0.2.128/25"), reason: "inside", now: t0)
        try guardian.ban(network: net("192.0.0.0/16"), reason: "wider", now: t0)
        try guardian.ban(network: net("198.51.100.0/24"), reason: "elsewhere", now: t0)
        let lifted = guardian.addNeverBan(net("192.0.2.0/24"))
        #expect(Set(lifted.map(\.network)) == [net("192.0.2.7"), net("192.0.2.128/25")])
        #expect(Set(guardian.bans.map(\.network)) == [net("192.0.0.0/16"), net("198.51.100.0/24")])
        // The wider ban stays, but the never-ban network wins at admission.
        #expect(guardian.admit(address: client, service: .smtp, now: at(1)) == .allow)
        #expect(guardian.admit(address: ip("192.0.3.1"), service: .smtp, now: at(1)).refusal?.reason == "wider")
        #expect(guardian.record(.relayAttempt, address: client, service: .smtp, sessionID: 2, evidence: [], now: at(2)).isEmpty)
        #expect(guardian.policy.neverBan.contains(net("192.0.2.0/24")))
        guardian.removeNeverBan(net("192.0.2.0/24"))
        #expect(guardian.admit(address: client, service: .smtp, now: at(3)).refusal?.reason == "wider")
    }

    @Test func applyPolicyLiftsBansInNewNeverBan() {
        var guardian = Guard()
        _ = relay(&guardian, at: t0)
        var policy = GuardPolicy()
        policy.neverBan.append(net("192.0.2.0/24"))
        #expect(guardian.apply(policy: policy).map(\.network) == [net("192.0.2.7")])
        #expect(guardian.banCount == 0)
    }

    @Test func loadKeepsRemainingTimeAndDropsEnded() throws {
        var before = Guard()
        let auto = relay(&before, at: t0)
        let manual = try before.ban(network: net("198.51.100.0/24"), duration: hour, reason: "short", now: t0)
        let forever = try before.ban(network: net("2001:db8::/48"), permanent: true, reason: "forever", now: t0)
        // Persist as JSON, as the lead would in SQLite.
        let stored = try JSONEncoder().encode(before.bans)
        let records = try JSONEncoder().encode(before.offenceRecords)

        var after = Guard()
        let ended = after.load(bans: try JSONDecoder().decode([Ban].self, from: stored),
                               offences: try JSONDecoder().decode([OffenceRecord].self, from: records), now: at(2 * hour))
        #expect(ended == [manual])
        #expect(Set(after.bans) == Set([auto, forever].compactMap { $0 }))
        #expect(after.admit(address: client, service: .smtp, now: at(day - 1)).refusal?.until == at(day))
        #expect(after.admit(address: client, service: .smtp, now: at(day)) == .allow)
        #expect(!after.admit(address: ip("2001:db8::1"), service: .smtp, now: at(1000 * day)).isAllowed)
    }

    @Test func loadRestoresEscalationFromBans() {
        var policy = GuardPolicy()
        policy.escalation = [day, 7 * day, 30 * day]
        var guardian = Guard(policy: policy)
        let previous = Ban(network: IPNetwork(host: client), rule: .authFailures, reason: "r", evidence: [], source: .automatic,
                           created: t0, expires: at(7 * day), offenceCount: 2)
        #expect(guardian.load(bans: [previous], now: at(1)).isEmpty)
        _ = guardian.expire(now: at(7 * day))
        #expect(relay(&guardian, at: at(8 * day))?.offenceCount == 3)
    }

    @Test func banCodableRoundTrip() throws {
        let ban = Ban(network: net("2001:db8::/64"), rule: .unknownRecipients, reason: "10 unknown recipients within 1 hour",
                      evidence: ["a", "b"], source: .automatic, created: t0, expires: nil, hits: 3, offenceCount: 2)
        let data = try JSONEncoder().encode(ban)
        #expect(try JSONDecoder().decode(Ban.self, from: data) == ban)
        #expect(String(decoding: data, as: UTF8.self).contains(#""rule":"unknown-recipient""#))
    }

    @Test func expireForgetsStaleCounters() {
        var guardian = Guard()
        _ = guardian.record(.unknownRecipient, address: client, service: .smtp, sessionID: 1, evidence: [], now: t0)
        #expect(guardian.offenders.count == 1)
        _ = guardian.expire(now: at(hour - 1))
        #expect(guardian.offenders.count == 1)
        _ = guardian.expire(now: at(hour))
        #expect(guardian.offenders.isEmpty)
    }
}
