import Foundation
import Testing
import FacteurDNS
@testable import FacteurRouter

struct RouteTableTests {
    static let ipv4 = """
    Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
    eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
    eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
    wlan0\t00000000\t0100000A\t0003\t0\t0\t50\t00000000\t0\t0\t0
    tun0\t00000000\t0200000A\t0001\t0\t0\t0\t00000000\t0\t0\t0
    garbage line
    """

    static let ipv6 = """
    fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
    00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000002 00000000 00000003     eth0
    00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo
    00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
    00000000000000000000000000000000 00 00000000000000000000000000000000 00 zz
    """

    @Test func findsIPv4DefaultRoutesByMetric() {
        let gateways = RouteTable.ipv4Gateways(in: Self.ipv4)
        #expect(gateways == [DefaultGateway(interface: "wlan0", address: ip("10.0.0.1"), metric: 50),
                             DefaultGateway(interface: "eth0", address: ip("192.168.1.1"), metric: 100)])
    }

    @Test func findsIPv6DefaultRoute() {
        #expect(RouteTable.ipv6Gateways(in: Self.ipv6) == [DefaultGateway(interface: "eth0", address: ip("fe80::1"), metric: 0x400)])
    }

    @Test func emptyOrGarbageGivesNothing() {
        #expect(RouteTable.ipv4Gateways(in: "").isEmpty)
        #expect(RouteTable.ipv6Gateways(in: "\n\n x y z").isEmpty)
    }

    @Test func systemEnvironmentReadsGivenFiles() throws {
        let base = "/tmp/facteur-route-\(UInt32.random(in: 0 ... .max))"
        try Self.ipv4.write(toFile: base + ".4", atomically: true, encoding: .utf8)
        try Self.ipv6.write(toFile: base + ".6", atomically: true, encoding: .utf8)
        defer {
            try? FileManager.default.removeItem(atPath: base + ".4")
            try? FileManager.default.removeItem(atPath: base + ".6")
        }
        let environment = SystemRouterEnvironment(resolver: FakeResolver(), ipv4RoutePath: base + ".4", ipv6RoutePath: base + ".6")
        #expect(environment.defaultGateways().map(\.address.description) == ["10.0.0.1", "192.168.1.1", "fe80::1"])
        let missing = SystemRouterEnvironment(resolver: FakeResolver(), ipv4RoutePath: base + ".none", ipv6RoutePath: base + ".none")
        #expect(missing.defaultGateways().isEmpty)
    }
}

