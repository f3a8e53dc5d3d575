import Foundation
import FacteurDNS
import FacteurNet

/// Everything the checklist learns from the outside world, injectable for tests.
public protocol RouterEnvironment: Sendable {
    /// This machine's addresses, loopback excluded.
    func lanAddresses() -> [LANAddress]
    /// Default routes, best metric first.
    func defaultGateways() -> [DefaultGateway]
    /// The router's public address found by NAT-PMP/UPnP; only called when the configuration
    /// turns discovery on. Nil when unknown.
    func discoverPublicAddress() async -> IPAddress?
    var resolver: any DNSLookupService { get }
    /// Connects to `target` and, if asked, reads the first line.
    func probe(_ target: SocketAddressText, readGreeting: Bool, timeout: Duration) async -> ProbeResult
}

/// The real environment: getifaddrs, /proc routing tables, a real DNS resolver and TCP probe.
/// Public-address discovery is not implemented: it always answers "unknown".
public struct SystemRouterEnvironment: RouterEnvironment {
    public var resolver: any DNSLookupService
    public var ipv4RoutePath: String
    public var ipv6RoutePath: String

    public init(resolver: any DNSLookupService, ipv4RoutePath: String = RouteTable.ipv4Path,
                ipv6RoutePath: String = RouteTable.ipv6Path) {
        self.resolver = resolver
        self.ipv4RoutePath = ipv4RoutePath
        self.ipv6RoutePath = ipv6RoutePath
    }

    public func lanAddresses() -> [LANAddress] { InterfaceScanner.lanAddresses() }

    public func defaultGateways() -> [DefaultGateway] {
        RouteTable.ipv4Gateways(in: Self.read(ipv4RoutePath)) + RouteTable.ipv6Gateways(in: Self.read(ipv6RoutePath))
    }

    public func discoverPublicAddress() async -> IPAddress? { nil }

    public func probe(_ target: SocketAddressText, readGreeting: Bool, timeout: Duration) async -> ProbeResult {
        await TCPProbe.probe(target, readGreeting: readGreeting, timeout: timeout)
    }

    static func read(_ path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: RouteTable.maxFileBytes)) ?? nil
        return String(decoding: data ?? Data(), as: UTF8.self)
    }
}
