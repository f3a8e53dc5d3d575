import Testing
import FacteurDNS
@testable import FacteurRouter

struct ListenerChecksTests {
    let smtp = RouterListener(service: .smtp, host: "0.0.0.0", port: 2525, expectedGreeting: "220 mail.example.test ESMTP Facteur")
    let imaps = RouterListener(service: .imaps, host: "0.0.0.0", port: 993)

    @Test(arguments: [
        (ProbeResult?.some(.connected), CheckStatus.pass),
        (.some(.refused), .fail),
        (.some(.timedOut), .unknown),
        (.some(.failed("Cannot assign requested address")), .fail),
        (nil, .fail),
    ])
    func bound(probe: ProbeResult?, expected: CheckStatus) {
        let item = ListenerChecks.bound(smtp, probe: probe, timeout: .seconds(3))
        #expect(item.status == expected)
        #expect(item.id == "listener.smtp-2525.bound")
        #expect(item.required)
        #expect((item.advice == nil) == (expected == .pass))
    }

    @Test(arguments: [
        (ProbeResult.greeting("220 mail.example.test ESMTP Facteur ready"), CheckStatus.pass, "answered"),
        (.greeting("220 other.example ESMTP Postfix"), .fail, "not Facteur"),
        (.noGreeting, .fail, "no greeting"),
        (.connected, .fail, "no greeting"),
        (.closedWithoutGreeting, .fail, "closed"),
        (.refused, .fail, "refused"),
        (.timedOut, .fail, "No answer"),
        (.failed("Network is unreachable"), .fail, "unreachable"),
    ])
    func lanWithGreeting(probe: ProbeResult, expected: CheckStatus, detailContains: String) {
        let item = ListenerChecks.lan(smtp, lanAddress: ip("192.168.1.10"), probe: probe, timeout: .seconds(3))
        #expect(item.status == expected)
        #expect(item.detail.contains(detailContains), "\(item.detail)")
    }

    @Test func lanTimeoutBlamesTheFirewall() {
        let item = ListenerChecks.lan(smtp, lanAddress: ip("192.168.1.10"), probe: .timedOut, timeout: .milliseconds(1500))
        #expect(item.detail == "No answer from 192.168.1.10:2525 within 1.5 s.")
        #expect(item.advice?.contains("firewall") == true)
    }

    @Test func tlsPortOnlyNeedsTheConnection() {
        #expect(ListenerChecks.lan(imaps, lanAddress: ip("192.168.1.10"), probe: .connected, timeout: .seconds(1)).status == .pass)
        #expect(ListenerChecks.lan(imaps, lanAddress: ip("192.168.1.10"), probe: .refused, timeout: .seconds(1)).status == .fail)
    }

    @Test func loopbackOnlyListenerFailsWithAdvice() {
        let local = RouterListener(service: .imap, host: "127.0.0.1", port: 143)
        let item = ListenerChecks.lan(local, lanAddress: nil, probe: nil, timeout: .seconds(1))
        #expect(item.status == .fail)
        #expect(item.detail == "IMAP listens only on 127.0.0.1: the router cannot reach it.")
        #expect(item.advice?.contains("0.0.0.0") == true)
    }

    @Test func noLANAddressIsUnknown() {
        #expect(ListenerChecks.lan(smtp, lanAddress: nil, probe: nil, timeout: .seconds(1)).status == .unknown)
    }
}
