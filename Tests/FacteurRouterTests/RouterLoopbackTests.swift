import FacteurTestSupport
import Testing
import FacteurDNS
@testable import FacteurRouter

/// End to end with real sockets: greeting servers and a DNS server on 127.0.0.x only.
/// The "LAN address" is injected as 127.0.0.2 and the "public address" as 127.0.0.3.
struct RouterLoopbackTests {
    static let greeting = "220 mail.example.test ESMTP Facteur"

    static func zone(good: Bool) throws -> TestZone {
        var zone = TestZone()
        zone.add("example.test", .mx(preference: 10, exchange: try DNSName(good ? "mail.example.test" : "mx.elsewhere.test")))
        zone.add("mail.example.test", .a(.v4(good ? [127, 0, 0, 3] : [127, 0, 0, 99])))
        if good { zone.add("3.0.0.127.in-addr.arpa", .ptr(try DNSName("mail.example.test"))) }
        return zone
    }

    static func config(smtpPort: UInt16, imapPort: UInt16) -> RouterCheckConfig {
        RouterCheckConfig(
            hostname: "mail.example.test", domains: ["example.test"],
            listeners: [RouterListener(service: .smtp, host: "0.0.0.0", port: smtpPort, expectedGreeting: greeting),
                        RouterListener(service: .imap, host: "0.0.0.0", port: imapPort)],
            publicAddress: "127.0.0.3", publicPorts: [.imap: 20143], probeTimeout: .milliseconds(500))
    }

    @Test func allGood() async throws {
        let smtp = try LoopbackGreetingServer(on: ["127.0.0.1", "127.0.0.2"], behaviour: .greet(Self.greeting + " ready"))
        let imap = try LoopbackGreetingServer(on: ["127.0.0.1", "127.0.0.2"], behaviour: .greet("* OK Facteur IMAP"))
        let publicSMTP = try LoopbackGreetingServer(on: ["127.0.0.3"], behaviour: .greet(Self.greeting + " ready"))
        let publicIMAP = try LoopbackGreetingServer(on: ["127.0.0.3"], behaviour: .greet("* OK Facteur IMAP"))
        let dns = try LoopbackDNSServer(zone: Self.zone(good: true))
        defer { [smtp, imap, publicSMTP, publicIMAP].forEach { $0.stop() }; dns.stop() }

        let environment = LoopbackRouterEnvironment(
            interfaces: [LANAddress(interface: "eth0", address: ip("127.0.0.2"), prefixLength: 8)],
            gateways: [DefaultGateway(interface: "eth0", address: ip("127.0.0.254"))],
            resolver: DNSResolver(nameserver: dns.address, timeout: .seconds(1), retries: 1),
            publicAddress: ip("127.0.0.3"), publicPortMap: [25: publicSMTP.port, 20143: publicIMAP.port])
        let checklist = await RouterChecklistBuilder.build(config: Self.config(smtpPort: smtp.port, imapPort: imap.port), environment: environment)

        #expect(checklist.rules.map { $0.text() } == ["TCP 25 → 127.0.0.2:\(smtp.port)", "TCP 20143 → 127.0.0.2:\(imap.port)"])
        #expect(checklist.items.filter { $0.status != .pass }.map(\.id) == ["router.smtp-25.isp"])
        #expect(checklist.requiredPassed)
    }

    @Test func allWrong() async throws {
        // SMTP is bound but another program answers on the LAN address; IMAP is not running;
        // nothing answers on the public address; DNS points elsewhere.
        let smtp = try LoopbackGreetingServer(on: ["127.0.0.1", "127.0.0.2"], behaviour: .greet("220 other ESMTP Postfix"))
        let imapPort = try closedLoopbackPort()
        let dns = try LoopbackDNSServer(zone: Self.zone(good: false))
        defer { smtp.stop(); dns.stop() }

        let environment = LoopbackRouterEnvironment(
            interfaces: [LANAddress(interface: "eth0", address: ip("127.0.0.2"), prefixLength: 8)],
            gateways: [],
            resolver: DNSResolver(nameserver: dns.address, timeout: .seconds(1), retries: 1),
            publicAddress: ip("127.0.0.3"),
            publicPortMap: [25: try closedLoopbackPort("127.0.0.3"), 20143: try closedLoopbackPort("127.0.0.3")])
        let checklist = await RouterChecklistBuilder.build(config: Self.config(smtpPort: smtp.port, imapPort: imapPort), environment: environment)

        #expect(!checklist.requiredPassed)
        let statuses = Dictionary(uniqueKeysWithValues: checklist.items.map { ($0.id, $0.status) })
        #expect(statuses["listener.smtp-\(smtp.port).bound"] == .pass)
        #expect(statuses["listener.smtp-\(smtp.port).lan"] == .fail)
        #expect(statuses["listener.imap-\(imapPort).bound"] == .fail)
        #expect(statuses["router.smtp-25.public"] == .fail)
        #expect(statuses["router.imap-20143.public"] == .fail)
        #expect(statuses["dns.example.test.mx"] == .fail)
        #expect(statuses["dns.hostname.address"] == .fail)
        #expect(statuses["dns.public-address.ptr"] == .warn)
        #expect(statuses["network.gateway"] == .warn)
    }

    @Test func dnsServerDownMakesDNSChecksUnknown() async throws {
        let silent = try LoopbackDNSServer { _, _ in .drop }
        defer { silent.stop() }
        let environment = LoopbackRouterEnvironment(
            interfaces: [LANAddress(interface: "eth0", address: ip("127.0.0.2"))], gateways: [],
            resolver: DNSResolver(nameserver: silent.address, timeout: .milliseconds(200), retries: 0),
            publicAddress: ip("127.0.0.3"), publicPortMap: [:])
        let config = RouterCheckConfig(hostname: "mail.example.test", domains: ["example.test"], listeners: [],
                                       publicAddress: "127.0.0.3", probeTimeout: .milliseconds(200))
        let checklist = await RouterChecklistBuilder.build(config: config, environment: environment)
        #expect(checklist.sections.first { $0.id == "dns" }?.items.map(\.status) == [.unknown, .unknown, .unknown])
        #expect(checklist.item("dns.example.test.mx")?.detail == "Could not check: the DNS server did not answer in time.")
    }
}
