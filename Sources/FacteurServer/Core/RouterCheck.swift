import FacteurCore
import FacteurDNS
import FacteurRouter
import FacteurStore
import Foundation
import FacteurNet

/// Builds the router port-forward and DNS checklist from the configuration, for `facteur check`
/// and the console's Router panel.
public enum RouterCheck {
    public static func checkConfig(_ config: Config, probeTimeout: Duration = .seconds(3)) -> RouterCheckConfig {
        var listeners: [RouterListener] = []
        func add(_ service: MailService, _ addrs: [ListenAddress]) {
            for a in addrs { listeners.append(RouterListener(service: service, host: a.host, port: UInt16(a.port))) }
        }
        add(.smtp, config.smtpListen.listen)
        add(.imap, config.imap.listen)
        add(.imaps, config.imap.listenTLS)
        add(.pop3, config.pop3.listen)
        add(.pop3s, config.pop3.listenTLS)
        var ports: [MailService: UInt16] = [:]
        for (k, v) in config.router.publicPorts {
            if let s = MailService(rawValue: k) { ports[s] = UInt16(v) }
        }
        return RouterCheckConfig(hostname: config.hostname, domains: config.domains, listeners: listeners,
                                 publicAddress: config.router.publicAddress, publicPorts: ports,
                                 discoverPublicAddress: config.router.discover, probeTimeout: probeTimeout)
    }

    /// The resolver named by `[dns] nameserver`, else the system's.
    public static func resolver(_ config: Config) -> DNSResolver? {
        if let ns = config.dnsNameserver {
            guard let addr = SocketAddressText(ns, defaultPort: 53) else { return nil }
            return DNSResolver(nameserver: addr)
        }
        return DNSResolver.system()
    }

    public static func run(_ config: Config) async -> Checklist {
        let resolver: any DNSLookupService = resolver(config) ?? UnavailableResolver()
        let env = ConfiguredRouterEnvironment(base: SystemRouterEnvironment(resolver: resolver),
                                              lanOverride: config.router.lanAddresses.compactMap { IPAddress($0) },
                                              natpmpGateway: config.router.natpmpGateway.flatMap { SocketAddressText($0, defaultPort: NATPMP.port) })
        return await RouterChecklistBuilder.build(config: checkConfig(config), environment: env)
    }
}

/// The system environment, with LAN addresses taken from `[router] lan_addresses` when set.
struct ConfiguredRouterEnvironment: RouterEnvironment {
    let base: SystemRouterEnvironment
    let lanOverride: [IPAddress]
    /// Configured NAT-PMP gateway; otherwise the first IPv4 default gateway.
    let natpmpGateway: SocketAddressText?

    var resolver: any DNSLookupService { base.resolver }
    func lanAddresses() -> [LANAddress] {
        lanOverride.isEmpty ? base.lanAddresses() : lanOverride.map { LANAddress(interface: "configured", address: $0) }
    }
    func defaultGateways() -> [DefaultGateway] { base.defaultGateways() }
    /// NAT-PMP (RFC 6886); only called when `[router] discover = true`.
    func discoverPublicAddress() async -> IPAddress? {
        let gateway = natpmpGateway ?? base.defaultGateways().first { $0.address.isIPv4 }
            .map { SocketAddressText(address: $0.address, port: NATPMP.port) }
        guard let gateway else { return nil }
        return NATPMP.publicAddress(gateway: gateway)
    }
    func probe(_ target: SocketAddressText, readGreeting: Bool, timeout: Duration) async -> ProbeResult {
        await base.probe(target, readGreeting: readGreeting, timeout: timeout)
    }
}

/// Used when no resolver is configured or found: every lookup fails with a clear reason.
struct UnavailableResolver: DNSLookupService {
    func lookupA(_ name: String) async throws(DNSLookupError) -> [String] { throw .transport("no DNS resolver configured") }
    func lookupAAAA(_ name: String) async throws(DNSLookupError) -> [String] { throw .transport("no DNS resolver configured") }
    func lookupTXT(_ name: String) async throws(DNSLookupError) -> [String] { throw .transport("no DNS resolver configured") }
    func lookupMX(_ name: String) async throws(DNSLookupError) -> [DNSMailExchange] { throw .transport("no DNS resolver configured") }
    func lookupPTR(_ ip: String) async throws(DNSLookupError) -> [String] { throw .transport("no DNS resolver configured") }
}
