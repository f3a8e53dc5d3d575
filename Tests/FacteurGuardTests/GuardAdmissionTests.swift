import FacteurTestSupport
import Foundation
import Testing
@testable import FacteurGuard
import FacteurNet

@Suite struct GuardAdmissionTests {
    let client = IPAddress(ipv4: 0xC633_6401) // 198.51.100.1

    @Test func freshAddressIsAllowedAndCounted() {
        var guardian = Guard()
        #expect(guardian.admit(address: client, service: .smtp, now: t0) == .allow)
        #expect(guardian.openConnections(.smtp) == 1)
        guardian.disconnect(address: client, service: .smtp, sessionID: 1)
        #expect(guardian.openConnections(.smtp) == 0)
        guardian.disconnect(address: client, service: .smtp, sessionID: 1)   // extra disconnect is harmless
        #expect(guardian.openConnections(.smtp) == 0)
    }

    @Test func bannedAddressIsRefusedAndHitsCounted() throws {
        var guardian = Guard()
        let ban = try guardian.ban(network: net("198.51.100.0/24"), reason: "spam run", now: t0)
        let first = guardian.admit(address: client, service: .imap, now: at(5)).refusal
        #expect(first?.rule == .manual)
        #expect(first?.reason == "spam run")
        #expect(first?.until == ban.expires)
        #expect(first?.isNewBan == false)
        #expect(first?.ban?.hits == 1)
        _ = guardian.admit(address: client, service: .pop3, now: at(6))
        #expect(guardian.ban(for: net("198.51.100.0/24"))?.hits == 2)
        #expect(guardian.openConnections(.imap) == 0)
    }

    /// Bans end exactly at `expires`: refused one second before, admitted at that second.
    @Test(arguments: [(day - 1, false), (day, true), (day + 1, true)])
    func banEndsToTheSecond(offset: TimeInterval, allowed: Bool) {
        var guardian = Guard()
        _ = guardian.record(.relayAttempt, address: client, service: .smtp, sessionID: 1, evidence: [], now: t0)
        #expect(guardian.admit(address: client, service: .smtp, now: at(offset)).isAllowed == allowed)
    }

    @Test func expiredSpecificBanDoesNotHideActiveWiderBan() throws {
        var guardian = Guard()
        try guardian.ban(network: net("198.51.100.1"), duration: 10, reason: "short", now: t0)
        try guardian.ban(network: net("198.51.100.0/24"), duration: hour, reason: "wide", now: t0)
        #expect(guardian.admit(address: client, service: .smtp, now: at(20)).refusal?.reason == "wide")
    }

    @Test func neverBanWinsOverBansAndLists() throws {
        var policy = GuardPolicy()
        policy.access.denyNetworks = [net("127.0.0.0/8")]
        policy.access.deniedCountries = ["ZZ"]
        var guardian = Guard(policy: policy)
        try guardian.ban(network: net("127.0.0.0/8"), reason: "loopback abuse", now: t0)
        #expect(guardian.admit(address: ip("127.0.0.1"), service: .smtp, now: at(1), country: "ZZ") == .allow)
        #expect(guardian.admit(address: ip("::1"), service: .smtp, now: at(1)) == .allow)
        // 127.0.0.2 is an ordinary client.
        #expect(guardian.admit(address: ip("127.0.0.2"), service: .smtp, now: at(1)).refusal?.rule == .manual)
    }

    @Test func allowListWinsOverBanDenyAndCountry() throws {
        var policy = GuardPolicy()
        policy.access.allowNetworks = [net("198.51.100.0/28")]
        policy.access.denyNetworks = [net("198.51.100.0/24")]
        policy.access.deniedCountries = ["XX"]
        var guardian = Guard(policy: policy)
        try guardian.ban(network: net("198.51.100.1"), reason: "x", now: t0)
        #expect(guardian.admit(address: client, service: .smtp, now: at(1), country: "XX") == .allow)
        let outside = guardian.admit(address: ip("198.51.100.77"), service: .smtp, now: at(1)).refusal
        #expect(outside?.rule == .denyList)
        #expect(outside?.reason == "198.51.100.0/24 is in the smtp deny list")
    }

    @Test func denyListPerService() {
        var policy = GuardPolicy()
        policy.serviceAccess[.smtp] = AccessRules(denyNetworks: [net("2001:db8::/32")])
        var guardian = Guard(policy: policy)
        #expect(guardian.admit(address: ip("2001:db8::25"), service: .smtp, now: t0).refusal?.rule == .denyList)
        #expect(guardian.admit(address: ip("2001:db8::25"), service: .imap, now: t0) == .allow)
        #expect(guardian.admit(address: ip("2001:db9::25"), service: .smtp, now: t0) == .allow)
    }

    /// allowed countries, denied countries, refuse unknown, country given → allowed?
    static let countryCases: [(Set<String>, Set<String>, Bool, String?, Bool)] = [
        ([], [], false, "CN", true),
        ([], ["CN", "RU"], false, "CN", false),
        ([], ["CN"], false, "cn", false),          // codes compare case-insensitively
        ([], ["CN"], false, nil, true),
        (["FR", "BE"], [], false, "FR", true),
        (["FR", "BE"], [], false, "DE", false),
        (["fr"], [], false, "FR", true),
        (["FR"], [], false, nil, true),            // unknown country admitted by default
        (["FR"], [], true, nil, false),
        (["FR"], ["FR"], false, "FR", false),      // deny wins
    ]

    @Test(arguments: countryCases)
    func countries(allowed: Set<String>, denied: Set<String>, refuseUnknown: Bool, country: String?, admitted: Bool) {
        var policy = GuardPolicy()
        policy.serviceAccess[.smtp] = AccessRules(allowedCountries: allowed, deniedCountries: denied, refuseUnknownCountry: refuseUnknown)
        var guardian = Guard(policy: policy)
        let admission = guardian.admit(address: client, service: .smtp, now: t0, country: country)
        #expect(admission.isAllowed == admitted)
        if !admitted { #expect(admission.refusal?.rule == .country) }
        // Country rules of SMTP do not touch IMAP.
        #expect(guardian.admit(address: client, service: .imap, now: t0, country: country).isAllowed)
    }

    @Test func floodCreatesBan() {
        var guardian = Guard()
        for index in 0..<60 {
            #expect(guardian.admit(address: client, service: .smtp, now: at(Double(index) * 0.5)) == .allow)
            guardian.disconnect(address: client, service: .smtp, sessionID: UInt64(index))
        }
        let refusal = guardian.admit(address: client, service: .smtp, now: at(30)).refusal
        #expect(refusal?.rule == .connectionRate)
        #expect(refusal?.isNewBan == true)
        #expect(refusal?.ban?.network == IPNetwork(host: client))
        #expect(refusal?.ban?.reason == "61 connections within 1 minute (limit 60)")
        #expect(refusal?.until == at(30 + day))
        #expect(refusal?.ban?.evidence.count == 2)
        let next = guardian.admit(address: client, service: .imap, now: at(31)).refusal
        #expect(next?.rule == .connectionRate)
        #expect(next?.isNewBan == false)
    }

    /// 60 connections a minute, steadily, never trip the flood trigger.
    @Test func steadyRateUnderLimitIsFine() {
        var guardian = Guard()
        for index in 0..<600 {
            #expect(guardian.admit(address: client, service: .smtp, now: at(Double(index))) == .allow)
            guardian.disconnect(address: client, service: .smtp, sessionID: nil)
        }
    }

    @Test func floodTriggerCanBeDisabled() {
        var policy = GuardPolicy()
        policy.triggers.connectionRate.enabled = false
        var guardian = Guard(policy: policy)
        for _ in 0..<500 {
            #expect(guardian.admit(address: client, service: .smtp, now: t0) == .allow)
            guardian.disconnect(address: client, service: .smtp, sessionID: nil)
        }
    }

    @Test func perAddressConcurrency() {
        var guardian = Guard()   // SMTP: 10 per address
        for _ in 0..<10 { #expect(guardian.admit(address: client, service: .smtp, now: t0) == .allow) }
        let refusal = guardian.admit(address: client, service: .smtp, now: t0).refusal
        #expect(refusal?.rule == .perAddressConnections)
        #expect(refusal?.ban == nil)
        #expect(guardian.banCount == 0)
        // Other addresses and other services are not affected.
        #expect(guardian.admit(address: ip("198.51.100.2"), service: .smtp, now: t0) == .allow)
        #expect(guardian.admit(address: client, service: .pop3, now: t0) == .allow)
        guardian.disconnect(address: client, service: .smtp, sessionID: nil)
        #expect(guardian.admit(address: client, service: .smtp, now: t0) == .allow)
    }

    @Test func totalConcurrencyAppliesToEveryone() {
        var policy = GuardPolicy()
        policy.connectionLimits[.imap] = ConnectionLimits(perAddress: nil, total: 3)
        var guardian = Guard(policy: policy)
        for index in 1...3 { #expect(guardian.admit(address: ip("192.0.2.\(index)"), service: .imap, now: t0) == .allow) }
        #expect(guardian.admit(address: ip("192.0.2.9"), service: .imap, now: t0).refusal?.rule == .totalConnections)
        guardian.disconnect(address: ip("192.0.2.1"), service: .imap, sessionID: nil)
        #expect(guardian.admit(address: ip("192.0.2.9"), service: .imap, now: t0) == .allow)
    }

    /// A full server still lets never-ban and allow networks in, up to a reserve above the limit.
    @Test func trustedNetworksAlwaysGetASlot() {
        var policy = GuardPolicy()
        policy.connectionLimits[.smtp] = ConnectionLimits(perAddress: nil, total: 3)
        policy.access = AccessRules(allowNetworks: [net("203.0.113.0/24")])
        var guardian = Guard(policy: policy)
        for index in 1...3 { #expect(guardian.admit(address: ip("192.0.2.\(index)"), service: .smtp, now: t0) == .allow) }
        #expect(guardian.admit(address: ip("192.0.2.9"), service: .smtp, now: t0).refusal?.rule == .totalConnections)
        #expect(guardian.admit(address: ip("127.0.0.1"), service: .smtp, now: t0) == .allow)
        #expect(guardian.admit(address: ip("203.0.113.4"), service: .smtp, now: t0) == .allow)
        #expect(Guard.trustedReserve(3) == 10 && Guard.trustedReserve(1000) == 100)
        for _ in 0..<8 { #expect(guardian.admit(address: ip("127.0.0.1"), service: .smtp, now: t0) == .allow) }
        #expect(guardian.admit(address: ip("127.0.0.1"), service: .smtp, now: t0).refusal?.rule == .totalConnections)
        #expect(guardian.bypassesBans(ip("203.0.113.4"), service: .smtp))
        #expect(!guardian.bypassesBans(ip("192.0.2.9"), service: .smtp))
    }

    /// The edge closed an idle connection to make room: the new one is counted in its place.
    @Test func connectionAdmittedInPlaceOfAnEvictedOne() {
        var policy = GuardPolicy()
        policy.connectionLimits[.smtp] = ConnectionLimits(perAddress: nil, total: 1)
        var guardian = Guard(policy: policy)
        #expect(guardian.admit(address: ip("192.0.2.1"), service: .smtp, now: t0) == .allow)
        #expect(guardian.admit(address: ip("192.0.2.2"), service: .smtp, now: t0).refusal?.rule == .totalConnections)
        guardian.admitInPlaceOfEvicted(address: ip("192.0.2.2"), service: .smtp)
        #expect(guardian.openConnections(.smtp) == 2)
        guardian.disconnect(address: ip("192.0.2.1"), service: .smtp, sessionID: nil)
        #expect(guardian.openConnections(.smtp) == 1)
    }

    @Test func neverBanSkipsPerAddressLimitAndRate() {
        var guardian = Guard()
        for _ in 0..<200 { #expect(guardian.admit(address: .loopbackV4, service: .smtp, now: t0) == .allow) }
    }

    /// A flood from countless addresses cannot grow the counters past the limit; tracked
    /// addresses keep being counted, and `expire` makes room again.
    @Test func trackedOffendersAreBounded() {
        var guardian = Guard()
        guardian.offenderLimit = 100
        for index in 0..<1000 {
            let address = IPAddress(high: 0x2001_0DB8_0000_0000, low: UInt64(index))
            #expect(guardian.admit(address: address, service: .smtp, now: t0) == .allow)
            guardian.disconnect(address: address, service: .smtp, sessionID: nil)
        }
        #expect(guardian.offenders.count == 100)
        // An address tracked before the table filled up is still counted towards a flood.
        let tracked = IPAddress(high: 0x2001_0DB8_0000_0000, low: 0)
        for _ in 0..<59 {
            _ = guardian.admit(address: tracked, service: .smtp, now: at(1))
            guardian.disconnect(address: tracked, service: .smtp, sessionID: nil)
        }
        #expect(guardian.admit(address: tracked, service: .smtp, now: at(1)).refusal?.rule == .connectionRate)
        _ = guardian.expire(now: at(hour + 1))
        #expect(guardian.offenders.isEmpty)
    }
}
