import Testing
import FacteurDNS
@testable import FacteurRouter

struct RouterChecksTests {
    let smtp = RouterListener(service: .smtp, host: "0.0.0.0", port: 2525)
    var rule: PortForwardRule { PortForwardRule(service: .smtp, publicPort: 25, lanAddress: ip("192.168.1.10"), localPort: 2525) }

    @Test func publicAddressKnownOrNot() {
        #expect(RouterChecks.publicAddress(ip("203.0.113.7"), source: .configured, discoveryEnabled: false).status == .pass)
        #expect(RouterChecks.publicAddress(ip("203.0.113.7"), source: .discovered, discoveryEnabled: true).detail.contains("discovered"))
        let unknown = RouterChecks.publicAddress(nil, source: nil, discoveryEnabled: false)
        #expect(unknown.status == .unknown)
        #expect(unknown.required == false)
        #expect(unknown.advice?.contains("public_address") == true)
    }

    @Test(arguments: [
        (ProbeResult.greeting("220 mx ESMTP"), CheckStatus.pass),
        (.timedOut, .unknown),
        (.noGreeting, .unknown),
        (.refused, .fail),
        (.greeting("HTTP/1.1 400 Bad Request"), .fail),
        (.closedWithoutGreeting, .fail),
        (.failed("Network is unreachable"), .unknown),
    ])
    func publicReach(probe: ProbeResult, expected: CheckStatus) {
        let item = RouterChecks.publicReach(rule, listener: smtp, publicAddress: ip("203.0.113.7"), probe: probe, timeout: .seconds(3))
        #expect(item.status == expected)
        #expect(item.id == "router.smtp-25.public")
        #expect(item.required == false)
    }

    @Test func timeoutHintsAtNATLoopbackAndPort25() throws {
        let item = RouterChecks.publicReach(rule, listener: smtp, publicAddress: ip("203.0.113.7"), probe: .timedOut, timeout: .seconds(3))
        let advice = try #require(item.advice)
        #expect(advice.contains("TCP 25 → 192.168.1.10:2525"))
        #expect(advice.contains("cannot loop"))
        #expect(advice.contains("no alternative port for SMTP"))
    }

    @Test func unknownPublicAddressIsNotTested() {
        let item = RouterChecks.publicReach(rule, listener: smtp, publicAddress: nil, probe: nil, timeout: .seconds(3))
        #expect(item.status == .unknown)
        #expect(item.detail.contains("unknown"))
    }

    @Test func smtpMustBePublicPort25() throws {
        #expect(RouterChecks.smtpPort(rule) == nil)
        let moved = PortForwardRule(service: .smtp, publicPort: 2525, lanAddress: ip("192.168.1.10"), localPort: 2525)
        let item = try #require(RouterChecks.smtpPort(moved))
        #expect(item.status == .fail)
        #expect(item.required)
        #expect(RouterChecks.smtpPort(PortForwardRule(service: .imap, publicPort: 20143, lanAddress: ip("192.168.1.10"), localPort: 143)) == nil)
    }

    @Test func ispBlockingWarnsOnlyForRiskyPorts() throws {
        let item = try #require(RouterChecks.ispBlocking(rule))
        #expect(item.status == .warn)
        #expect(item.required == false)
        #expect(RouterChecks.ispBlocking(PortForwardRule(service: .imap, publicPort: 20143, lanAddress: ip("10.0.0.2"), localPort: 143)) == nil)
        #expect(RouterChecks.ispBlocking(PortForwardRule(service: .imap, publicPort: 143, lanAddress: ip("10.0.0.2"), localPort: 143))?.status == .warn)
    }
}
