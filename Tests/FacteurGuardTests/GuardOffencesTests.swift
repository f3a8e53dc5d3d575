import FacteurTestSupport
import Foundation
import Testing
@testable import FacteurGuard
import FacteurNet

@Suite struct GuardOffencesTests {
    let client = IPAddress(ipv4: 0xCB00_7109) // 203.0.113.9

    /// Offences whose default trigger counts within one session: offence, rule, threshold.
    static let perSessionCases: [(Offence, GuardRule, Int)] = [
        (.unknownRecipient, .unknownRecipients, 5),
        (.badCommand, .badCommands, 10),
        (.overlongLine, .overlongLines, 3),
    ]

    /// Offences that ban on the first occurrence.
    static let firstStrikeCases: [(Offence, GuardRule)] = [
        (.relayAttempt, .relayAttempt),
        (.prematureTalk, .prematureTalk),
        (.smuggling, .smuggling),
    ]

    @Test(arguments: perSessionCases)
    func sessionThreshold(offence: Offence, rule: GuardRule, threshold: Int) {
        var guardian = Guard()
        for index in 1..<threshold {
            let actions = guardian.record(offence, address: client, service: .smtp, sessionID: 1,
                                          evidence: ["line \(index)"], now: at(Double(index)))
            #expect(actions.isEmpty, "banned after \(index) of \(threshold)")
        }
        let bans = guardian.record(offence, address: client, service: .smtp, sessionID: 1,
                                   evidence: ["line \(threshold)"], now: at(100)).bans
        #expect(bans.count == 1)
        #expect(bans.first?.rule == rule)
        #expect(bans.first?.network == IPNetwork(host: client))
        #expect(bans.first?.source == .automatic)
        #expect(bans.first?.created == at(100))
        #expect(bans.first?.expires == at(100 + day))
        #expect(bans.first?.evidence.count == threshold)
        #expect(bans.first?.evidence.last?.hasSuffix("smtp #1 line \(threshold)") == true)
        #expect(bans.first?.reason == "\(Guard.counted(threshold, rule)) in one session")
        #expect(guardian.activeBan(covering: client, now: at(101))?.rule == rule)
    }

    /// The per-session count restarts in each session.
    @Test(arguments: perSessionCases)
    func sessionCountDoesNotCarryOver(offence: Offence, rule: GuardRule, threshold: Int) {
        var guardian = Guard()
        guardian.policy.triggers.unknownRecipient.perAddress = nil
        for session in UInt64(1)...3 {
            for _ in 1..<threshold {
                #expect(guardian.record(offence, address: client, service: .smtp, sessionID: session, evidence: [], now: t0).isEmpty)
            }
            guardian.disconnect(address: client, service: .smtp, sessionID: session)
        }
        #expect(guardian.banCount == 0)
    }

    @Test(arguments: firstStrikeCases)
    func firstStrike(offence: Offence, rule: GuardRule) {
        var guardian = Guard()
        let bans = guardian.record(offence, address: client, service: .smtp, sessionID: 7,
                                   evidence: ["C: RCPT TO:<victim@elsewhere.example>", "S: 554 5.7.1 relay denied"], now: t0).bans
        #expect(bans.map(\.rule) == [rule])
        #expect(bans.first?.evidence == [
            "2027-01-15T08:00:00Z smtp #7 C: RCPT TO:<victim@elsewhere.example>",
            "2027-01-15T08:00:00Z smtp #7 S: 554 5.7.1 relay denied",
        ])
        #expect(bans.first?.reason == Guard.counted(1, rule))
    }

    @Test(arguments: firstStrikeCases.map(\.0) + perSessionCases.map(\.0) + [Offence.authFailure(passwordDigest: "x")])
    func disabledTriggerNeverBans(offence: Offence) {
        var policy = GuardPolicy()
        policy.triggers = Triggers()
        policy.triggers.relayAttempt.enabled = false
        policy.triggers.unknownRecipient.enabled = false
        policy.triggers.badCommand.enabled = false
        policy.triggers.prematureTalk.enabled = false
        policy.triggers.overlongLine.enabled = false
        policy.triggers.smuggling.enabled = false
        policy.triggers.authFailure = .disabled
        var guardian = Guard(policy: policy)
        for index in 0..<50 {
            let varied: Offence = if case .authFailure = offence { .authFailure(passwordDigest: "p\(index)") } else { offence }
            #expect(guardian.record(varied, address: client, service: .imap, sessionID: 1, evidence: [], now: at(Double(index))).isEmpty)
        }
        #expect(guardian.banCount == 0)
    }

    /// 10 unknown recipients within an hour across sessions (each under the per-session 5).
    @Test func unknownRecipientsAcrossSessions() {
        var guardian = Guard()
        for index in 0..<9 {
            let session = UInt64(index / 3)   // three per session
            #expect(guardian.record(.unknownRecipient, address: client, service: .smtp, sessionID: session,
                                    evidence: ["RCPT \(index)"], now: at(Double(index) * 60)).isEmpty)
        }
        let bans = guardian.record(.unknownRecipient, address: client, service: .smtp, sessionID: 9,
                                   evidence: ["RCPT 9"], now: at(3599)).bans
        #expect(bans.first?.rule == .unknownRecipients)
        #expect(bans.first?.reason == "10 unknown recipients within 1 hour")
        #expect(bans.first?.evidence.count == 10)
    }

    /// An event exactly one window old no longer counts.
    @Test(arguments: [(3599.0, true), (3600.0, false), (3601.0, false)])
    func unknownRecipientWindowEdge(lastAt: TimeInterval, bans: Bool) {
        var guardian = Guard()
        _ = guardian.record(.unknownRecipient, address: client, service: .smtp, sessionID: 0, evidence: [], now: t0)
        for index in 1..<9 {
            _ = guardian.record(.unknownRecipient, address: client, service: .smtp, sessionID: UInt64(index), evidence: [], now: at(lastAt - 10))
        }
        let actions = guardian.record(.unknownRecipient, address: client, service: .smtp, sessionID: 99, evidence: [], now: at(lastAt))
        #expect(!actions.bans.isEmpty == bans)
    }

    @Test func fiveDistinctWrongPasswordsBan() {
        var guardian = Guard()
        for index in 0..<4 {
            #expect(guardian.record(.authFailure(passwordDigest: "d\(index)"), address: client, service: .imap, sessionID: UInt64(index),
                                    evidence: ["LOGIN alice"], now: at(Double(index) * 100)).isEmpty)
        }
        let bans = guardian.record(.authFailure(passwordDigest: "d4"), address: client, service: .imap, sessionID: 4,
                                   evidence: ["LOGIN alice"], now: at(899)).bans
        #expect(bans.first?.rule == .authFailures)
        #expect(bans.first?.reason == "5 different wrong passwords within 15 minutes")
        #expect(bans.first?.evidence.count == 5)
    }

    @Test(arguments: [(899.0, true), (900.0, false)])
    func wrongPasswordWindowEdge(fifthAt: TimeInterval, bans: Bool) {
        var guardian = Guard()
        _ = guardian.record(.authFailure(passwordDigest: "first"), address: client, service: .pop3, sessionID: 1, evidence: [], now: t0)
        for index in 1..<4 {
            _ = guardian.record(.authFailure(passwordDigest: "d\(index)"), address: client, service: .pop3, sessionID: 1, evidence: [], now: at(600))
        }
        let actions = guardian.record(.authFailure(passwordDigest: "fifth"), address: client, service: .pop3, sessionID: 1,
                                      evidence: [], now: at(fifthAt))
        #expect(!actions.bans.isEmpty == bans)
    }

    /// The office behind NAT: a phone with a stale password retries all day.
    @Test func samePasswordRepeatedNeverBans() {
        var guardian = Guard()
        for index in 0..<20 {
            #expect(guardian.record(.authFailure(passwordDigest: "stale"), address: client, service: .imap,
                                    sessionID: UInt64(index), evidence: [], now: at(Double(index) * 10)).isEmpty)
        }
        // Three more distinct ones still leave it at 4 distinct: no ban.
        for digest in ["a", "b", "c"] {
            #expect(guardian.record(.authFailure(passwordDigest: digest), address: client, service: .imap,
                                    sessionID: 100, evidence: [], now: at(300)).isEmpty)
        }
        #expect(guardian.banCount == 0)
    }

    @Test func successfulLoginResetsCount() {
        var guardian = Guard()
        for digest in ["a", "b", "c", "d"] {
            _ = guardian.record(.authFailure(passwordDigest: digest), address: client, service: .imap, sessionID: 1, evidence: [], now: t0)
        }
        #expect(guardian.record(.authSuccess, address: client, service: .imap, sessionID: 2, evidence: [], now: at(10)).isEmpty)
        for digest in ["e", "f", "g", "h"] {
            #expect(guardian.record(.authFailure(passwordDigest: digest), address: client, service: .imap, sessionID: 3, evidence: [], now: at(20)).isEmpty)
        }
        #expect(guardian.banCount == 0)
        #expect(guardian.record(.authFailure(passwordDigest: "i"), address: client, service: .imap, sessionID: 3, evidence: [], now: at(30)).bans.count == 1)
    }

    @Test(arguments: [("127.0.0.1", false), ("::1", false), ("127.0.0.2", true), ("127.1.2.3", true), ("::ffff:127.0.0.1", false)])
    func neverBanOnlyLoopbackHosts(address: String, banned: Bool) {
        var guardian = Guard()
        let actions = guardian.record(.relayAttempt, address: ip(address), service: .smtp, sessionID: 1, evidence: [], now: t0)
        #expect(!actions.bans.isEmpty == banned)
    }

    @Test func allowListedAddressIsNotBanned() {
        var policy = GuardPolicy()
        policy.serviceAccess[.smtp] = AccessRules(allowNetworks: [net("203.0.113.0/24")])
        var guardian = Guard(policy: policy)
        #expect(guardian.record(.relayAttempt, address: client, service: .smtp, sessionID: 1, evidence: [], now: t0).isEmpty)
        // The allow list is for SMTP only.
        #expect(guardian.record(.smuggling, address: client, service: .imap, sessionID: 2, evidence: [], now: t0).bans.count == 1)
    }

    @Test func noSecondBanWhileBanned() {
        var guardian = Guard()
        #expect(guardian.record(.relayAttempt, address: client, service: .smtp, sessionID: 1, evidence: [], now: t0).bans.count == 1)
        #expect(guardian.record(.relayAttempt, address: client, service: .smtp, sessionID: 1, evidence: [], now: at(1)).isEmpty)
        #expect(guardian.record(.smuggling, address: client, service: .smtp, sessionID: 1, evidence: [], now: at(2)).isEmpty)
        #expect(guardian.banCount == 1)
    }

    @Test func mappedAddressIsTheSameOffender() {
        var guardian = Guard()
        _ = guardian.record(.relayAttempt, address: ip("::ffff:203.0.113.9"), service: .smtp, sessionID: 1, evidence: [], now: t0)
        #expect(guardian.ban(for: net("203.0.113.9"))?.rule == .relayAttempt)
        #expect(!guardian.admit(address: client, service: .smtp, now: at(1)).isAllowed)
    }

    @Test(arguments: [(128, false), (64, true)])
    func ipv6OffencesCountPerConfiguredPrefix(prefix: Int, banned: Bool) {
        var policy = GuardPolicy()
        policy.ipv6BanPrefixLength = prefix
        var guardian = Guard(policy: policy)
        var actions: [GuardAction] = []
        for index in 1...5 {
            actions += guardian.record(.authFailure(passwordDigest: "p\(index)"), address: ip("2001:db8::\(index)"),
                                       service: .imap, sessionID: UInt64(index), evidence: [], now: t0)
        }
        #expect(!actions.bans.isEmpty == banned)
        if banned {
            #expect(actions.bans.first?.network == net("2001:db8::/64"))
            #expect(!guardian.admit(address: ip("2001:db8::ffff"), service: .imap, now: at(1)).isAllowed)
            #expect(guardian.admit(address: ip("2001:db8:0:1::1"), service: .imap, now: at(1)).isAllowed)
        }
    }

    @Test func evidenceIsBounded() {
        var policy = GuardPolicy()
        policy.triggers.badCommand = Trigger(perSession: 2)
        var guardian = Guard(policy: policy)
        let long = String(repeating: "x", count: 5000)
        _ = guardian.record(.badCommand, address: client, service: .smtp, sessionID: 1, evidence: Array(repeating: long, count: 100), now: t0)
        let ban = guardian.record(.badCommand, address: client, service: .smtp, sessionID: 1, evidence: ["last"], now: t0).bans.first
        #expect(ban?.evidence.count == GuardLimits.maxEvidenceLines)
        #expect(ban?.evidence.last?.hasSuffix("last") == true)
        #expect(ban?.evidence.allSatisfy { $0.count <= GuardLimits.maxEvidenceLineLength + 1 } == true)
    }

    /// Nonsense thresholds from a hand-written configuration act as 1 and never crash.
    @Test func thresholdsBelowOneActAsOne() {
        var policy = GuardPolicy()
        policy.triggers.badCommand = Trigger(perSession: -3)
        policy.triggers.unknownRecipient = Trigger(perAddress: 0)
        policy.triggers.authFailure = Trigger(perAddress: -1, window: 900)
        policy.triggers.connectionRate = RateLimit(maxConnections: -5, window: 60)
        var guardian = Guard(policy: policy)
        #expect(guardian.record(.badCommand, address: ip("192.0.2.1"), service: .smtp, sessionID: 1, evidence: [], now: t0).bans.count == 1)
        #expect(guardian.record(.unknownRecipient, address: ip("192.0.2.2"), service: .smtp, sessionID: 2, evidence: [], now: t0).bans.count == 1)
        #expect(guardian.record(.authFailure(passwordDigest: "x"), address: ip("192.0.2.3"), service: .smtp, sessionID: 3, evidence: [], now: t0).bans.count == 1)
        #expect(guardian.admit(address: ip("192.0.2.4"), service: .smtp, now: t0).refusal?.rule == .connectionRate)
    }
}
