import FacteurNet
import FacteurDNS
import Foundation
import Testing
@testable import FacteurMailAuth

struct GreylistTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let greylist = Greylist()

    @Test func tripletUsesTheClientNetwork() throws {
        let v4 = Greylist.Triplet(client: try #require(IPAddress("192.0.2.77")), sender: "A@Example.COM", recipient: "Bob@Example.test")
        #expect(v4 == Greylist.Triplet(network: "192.0.2.0/24", sender: "a@example.com", recipient: "bob@example.test"))
        let v6 = Greylist.Triplet(client: try #require(IPAddress("2001:db8:1:2:3:4:5:6")), sender: "", recipient: "b@x.test")
        #expect(v6.network == "2001:db8:1:2::/64")
        let mapped = Greylist.Triplet(client: try #require(IPAddress("::ffff:192.0.2.1")), sender: "", recipient: "b@x.test")
        #expect(mapped.network == "192.0.2.0/24")
    }

    @Test func firstAttemptWaitsThenARetryPassesAndIsRemembered() {
        let (first, e1) = greylist.decide(nil, now: start)
        #expect(first == .deferred(retryAfter: 300))
        // An early retry is deferred for what is left, and does not restart the clock.
        let (early, e2) = greylist.decide(e1, now: start.addingTimeInterval(60))
        #expect(early == .deferred(retryAfter: 240))
        #expect(e2.firstSeen == start)
        let (retry, e3) = greylist.decide(e2, now: start.addingTimeInterval(300))
        #expect(retry == .pass)
        #expect(e3.passed)
        // Remembered: passes at once for 35 days after it was last seen, each use renewing it.
        let (later, e4) = greylist.decide(e3, now: start.addingTimeInterval(34 * 86_400))
        #expect(later == .pass)
        let (stillRemembered, _) = greylist.decide(e4, now: start.addingTimeInterval(68 * 86_400))
        #expect(stillRemembered == .pass)
        // Forgotten after 35 days unseen: greylisted again.
        let (forgotten, e5) = greylist.decide(e4, now: e4.lastSeen.addingTimeInterval(35 * 86_400 + 1))
        #expect(forgotten == .deferred(retryAfter: 300))
        #expect(!e5.passed)
    }
}
