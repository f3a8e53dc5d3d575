import Testing
import FacteurDNS
@testable import FacteurRouter

/// The whole checklist against fakes: no socket at all.
struct RouterChecklistBuilderTests {
    static let lan = [LANAddress(interface: "eth0", address: ip("192.168.1.10"), prefixLength: 24),
                      LANAddress(interface: "eth0", address: ip("fe80::10"), prefixLength: 64)]
    static let gateway = [DefaultGateway(interface: "eth0", address: ip("192.168.1.1"))]

    static func config(publicAddress: String? = "203.0.113.7", listeners: [RouterListener]? = nil,
                       publicPorts: [MailService: UInt16] = [.imap: 20143]) -> RouterCheckConfig {
        RouterCheckConfig(
            hostname: "mail.example.com", domains: ["example.com", "example.org"],
            listeners: listeners ?? [
                RouterListener(service: .smtp, host: "0.0.0.0", port: 2525, expectedGreeting: "220 mail.example.com ESMTP Facteur"),
                RouterListener(service: .imap, host: "0.0.0.0", port: 143),
                RouterListener(service: .pop3, host: "0.0.0.0", port: 110, enabled: false),
            ],
            publicAddress: publicAddress, publicPorts: publicPorts, probeTimeout: .seconds(1))
    }

    static let goodResolver = FakeResolver(
        a: ["mail.example.com": .success(["203.0.113.7"])],
        mx: ["example.com": .success([DNSMailExchange(preference: 10, exchange: "mail.example.com")]),
             "example.org": .success([DNSMailExchange(preference: 10, exchange: "mail.example.com")])],
        ptr: ["203.0.113.7": .success(["mail.example.com"])])

    static let goodProbes: [String: ProbeResult] = [
        "127.0.0.1:2525": .connected, "127.0.0.1:143": .connected,
        "192.168.1.10:2525": .greeting("220 mail.example.com ESMTP Facteur ready"),
        "192.168.1.10:143": .greeting("* OK [CAPABILITY IMAP4rev1] Facteur"),
        "203.0.113.7:25": .greeting("220 mail.example.com ESMTP Facteur ready"),
        "203.0.113.7:20143": .greeting("* OK Facteur"),
    ]

    @Test func everythingRightPassesRequiredChecks() async {
        let environment = FakeRouterEnvironment(interfaces: Self.lan, gateways: Self.gateway, probes: Self.goodProbes,
                                                resolver: Self.goodResolver)
        let checklist = await RouterChecklistBuilder.build(config: Self.config(), environment: environment)
        #expect(checklist.rules.map { $0.text() } == ["TCP 25 → 192.168.1.10:2525", "TCP 20143 → 192.168.1.10:143"])
        #expect(checklist.requiredPassed)
        #expect(checklist.exitCode == 0)
        #expect(checklist.sections.map(\.id) == ["network", "listeners", "router", "dns"])
        let notPassing = checklist.items.filter { $0.status != .pass }.map(\.id)
        #expect(notPassing == ["router.smtp-25.isp"])
        // The disabled POP3 listener is neither probed nor listed.
        #expect(!environment.probedTargets.contains { $0.hasSuffix(":110") })
        #expect(checklist.item("dns.example.org.mx")?.status == .pass)
        // Link-local addresses are listed but never used for rules.
        #expect(checklist.interfaces.count == 2)
    }

    @Test func everythingWrongFails() async {
        let resolver = FakeResolver(
            a: ["mail.example.com": .success(["198.51.100.1"])],
            mx: ["example.com": .success([DNSMailExchange(preference: 10, exchange: "mx.elsewhere.example")]),
                 "example.org": .failure(.noData("example.org", .mx))],
            ptr: ["203.0.113.7": .success(["dsl-7.isp.example"])])
        let environment = FakeRouterEnvironment(interfaces: Self.lan, gateways: Self.gateway, probes: [
            "127.0.0.1:2525": .connected,
            "192.168.1.10:2525": .greeting("220 other ESMTP Postfix"),
            "203.0.113.7:25": .timedOut,
            "203.0.113.7:20143": .refused,
        ], resolver: resolver)
        let checklist = await RouterChecklistBuilder.build(config: Self.config(), environment: environment)
        #expect(!checklist.requiredPassed)
        #expect(checklist.exitCode == 1)
        let statuses = Dictionary(uniqueKeysWithValues: checklist.items.map { ($0.id, $0.status) })
        #expect(statuses == [
            "network.lan-address": .pass, "network.gateway": .pass,
            "listener.smtp-2525.bound": .pass, "listener.smtp-2525.lan": .fail,
            "listener.imap-143.bound": .fail, "listener.imap-143.lan": .fail,
            "router.public-address": .pass,
            "router.smtp-25.public": .unknown, "router.smtp-25.isp": .warn,
            "router.imap-20143.public": .fail,
            "dns.example.com.mx": .fail, "dns.example.org.mx": .fail,
            "dns.hostname.address": .fail, "dns.public-address.ptr": .warn,
        ])
    }

    @Test func unknownPublicAddressLeavesRouterChecksUnknown() async {
        let environment = FakeRouterEnvironment(interfaces: Self.lan, gateways: Self.gateway, probes: Self.goodProbes,
                                                resolver: Self.goodResolver)
        let checklist = await RouterChecklistBuilder.build(config: Self.config(publicAddress: nil), environment: environment)
        #expect(checklist.publicAddress == nil)
        #expect(checklist.item("router.public-address")?.status == .unknown)
        #expect(checklist.item("router.smtp-25.public")?.status == .unknown)
        #expect(checklist.item("dns.hostname.address")?.status == .unknown)
        #expect(checklist.item("dns.public-address.ptr")?.status == .unknown)
        #expect(!environment.probedTargets.contains { $0.hasPrefix("203.") })
        // The address check is required: without a public address the CLI cannot say "all good".
        #expect(!checklist.requiredPassed)
    }

    @Test func discoveryIsUsedOnlyWhenTurnedOn() async {
        let environment = FakeRouterEnvironment(interfaces: Self.lan, gateways: Self.gateway, discovered: ip("203.0.113.7"),
                                                probes: Self.goodProbes, resolver: Self.goodResolver)
        let off = await RouterChecklistBuilder.build(config: Self.config(publicAddress: nil), environment: environment)
        #expect(off.publicAddress == nil)
        var config = Self.config(publicAddress: nil)
        config.discoverPublicAddress = true
        let on = await RouterChecklistBuilder.build(config: config, environment: environment)
        #expect(on.publicAddress == ip("203.0.113.7"))
        #expect(on.publicAddressSource == .discovered)
        #expect(on.requiredPassed)
    }

    @Test func ipv6PublicAddressIsCheckedWithAAAA() async {
        var resolver = Self.goodResolver
        resolver.aaaa = ["mail.example.com": .success(["2001:db8::7"])]
        resolver.ptr = ["2001:db8::7": .success(["mail.example.com"])]
        let environment = FakeRouterEnvironment(interfaces: Self.lan, gateways: Self.gateway, probes: [:], resolver: resolver)
        let checklist = await RouterChecklistBuilder.build(config: Self.config(publicAddress: "2001:db8::7"), environment: environment)
        #expect(checklist.item("dns.hostname.address")?.status == .pass)
        #expect(checklist.item("dns.public-address.ptr")?.status == .pass)
    }

    @Test func noNetworkMeansNoRules() async {
        let environment = FakeRouterEnvironment(interfaces: [], probes: Self.goodProbes, resolver: Self.goodResolver)
        let checklist = await RouterChecklistBuilder.build(config: Self.config(), environment: environment)
        #expect(checklist.rules.isEmpty)
        #expect(checklist.item("network.lan-address")?.status == .fail)
        #expect(checklist.item("network.gateway")?.status == .warn)
        #expect(checklist.item("listener.smtp-2525.lan")?.status == .unknown)
        #expect(!checklist.requiredPassed)
    }

    @Test func smtpOnAnotherPublicPortIsARequiredFailure() async {
        let environment = FakeRouterEnvironment(interfaces: Self.lan, gateways: Self.gateway, probes: Self.goodProbes,
                                                resolver: Self.goodResolver)
        let checklist = await RouterChecklistBuilder.build(config: Self.config(publicPorts: [.smtp: 2525, .imap: 20143]), environment: environment)
        #expect(checklist.item("router.smtp-2525.port")?.status == .fail)
        #expect(!checklist.requiredPassed)
    }

    @Test func duplicatePublicPortsGiveOneRule() async {
        let listeners = [RouterListener(service: .imap, host: "0.0.0.0", port: 143), RouterListener(service: .imap, host: "::", port: 143)]
        let environment = FakeRouterEnvironment(interfaces: Self.lan, gateways: Self.gateway, probes: Self.goodProbes, resolver: Self.goodResolver)
        let checklist = await RouterChecklistBuilder.build(config: Self.config(listeners: listeners, publicPorts: [:]), environment: environment)
        #expect(checklist.rules.map { $0.text() } == ["TCP 143 → 192.168.1.10:143"])
    }
}
