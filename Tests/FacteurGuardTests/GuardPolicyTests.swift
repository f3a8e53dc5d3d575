import FacteurTestSupport
import Foundation
import Testing
@testable import FacteurGuard

@Suite struct GuardPolicyTests {
    @Test func defaults() {
        let policy = GuardPolicy()
        #expect(policy.banDuration == 86_400)
        #expect(policy.triggers.relayAttempt.perAddress == 1)
        #expect(policy.triggers.unknownRecipient.perSession == 5)
        #expect(policy.triggers.unknownRecipient.perAddress == 10)
        #expect(policy.triggers.unknownRecipient.window == 3600)
        #expect(policy.triggers.badCommand.perSession == 10)
        #expect(policy.triggers.prematureTalk.perAddress == 1)
        #expect(policy.triggers.overlongLine.perSession == 3)
        #expect(policy.triggers.smuggling.perAddress == 1)
        #expect(policy.triggers.authFailure.perAddress == 5)
        #expect(policy.triggers.authFailure.window == 900)
        #expect(policy.triggers.connectionRate == RateLimit(enabled: true, maxConnections: 60, window: 60))
        #expect(policy.neverBan == [net("127.0.0.1"), net("::1")])
    }

    /// escalation, permanentAfter, offence → length (nil: permanent)
    static let lengthCases: [([TimeInterval], Int?, Int, TimeInterval?)] = [
        ([], nil, 1, 86_400),
        ([], nil, 5, 86_400),
        ([3600, 7200], nil, 1, 3600),
        ([3600, 7200], nil, 2, 7200),
        ([3600, 7200], nil, 9, 7200),
        ([3600, 7200], 3, 2, 7200),
        ([3600, 7200], 3, 3, nil),
        ([], 1, 1, nil),
    ]

    @Test(arguments: lengthCases)
    func banLength(escalation: [TimeInterval], permanentAfter: Int?, offence: Int, expected: TimeInterval?) {
        var policy = GuardPolicy()
        policy.escalation = escalation
        policy.permanentAfterOffences = permanentAfter
        #expect(policy.banLength(forOffence: offence) == expected)
    }

    @Test func codableRoundTrip() throws {
        var policy = GuardPolicy()
        policy.serviceAccess[.smtp] = AccessRules(denyNetworks: [net("192.0.2.0/24")], deniedCountries: ["CN"])
        policy.escalation = [1, 2]
        let data = try JSONEncoder().encode(policy)
        #expect(try JSONDecoder().decode(GuardPolicy.self, from: data) == policy)
        // Service-keyed tables encode as objects keyed by service name.
        #expect(String(decoding: data, as: UTF8.self).contains(#""smtp":{"#))
    }

    @Test(arguments: [(900.0, "15 minutes"), (3600.0, "1 hour"), (86_400.0, "1 day"), (7 * 86_400.0, "7 days"),
                      (60.0, "1 minute"), (90.0, "90 seconds"), (1.0, "1 second"), (5400.0, "90 minutes")])
    func durationText(seconds: TimeInterval, text: String) {
        #expect(DurationText.describe(seconds) == text)
    }
}
