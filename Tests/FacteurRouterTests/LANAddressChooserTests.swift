import Testing
import FacteurDNS
@testable import FacteurRouter

struct LANAddressChooserTests {
    let addresses = [
        LANAddress(interface: "wlan0", address: ip("10.9.0.5"), prefixLength: 24),
        LANAddress(interface: "eth0", address: ip("fe80::10"), prefixLength: 64),
        LANAddress(interface: "eth0", address: ip("172.16.0.10"), prefixLength: 24),
        LANAddress(interface: "eth0", address: ip("192.168.1.10"), prefixLength: 24),
        LANAddress(interface: "eth0", address: ip("2001:db8::10"), prefixLength: 64),
    ]
    let gateways = [DefaultGateway(interface: "eth0", address: ip("192.168.1.1"))]

    func choose(_ host: String, _ addresses: [LANAddress]? = nil, _ gateways: [DefaultGateway]? = nil) -> String? {
        LANAddressChooser.choose(for: RouterListener(service: .smtp, host: host, port: 25),
                                 among: addresses ?? self.addresses, gateways: gateways ?? self.gateways)?.description
    }

    @Test func wildcardPrefersGatewaySubnet() {
        #expect(choose("0.0.0.0") == "192.168.1.10")
        #expect(choose("::") == "192.168.1.10")
    }

    @Test func wildcardFallsBackToGatewayInterfaceThenAnyIPv4() {
        #expect(choose("0.0.0.0", nil, [DefaultGateway(interface: "eth0", address: ip("10.0.0.1"))]) == "172.16.0.10")
        #expect(choose("0.0.0.0", nil, []) == "10.9.0.5")
    }

    @Test func ipv6OnlyMachineUsesGlobalIPv6ExceptForIPv4Wildcard() {
        let v6 = addresses.filter { !$0.address.isIPv4 }
        #expect(choose("::", v6, []) == "2001:db8::10")
        #expect(choose("0.0.0.0", v6, []) == nil)
    }

    @Test func boundAddressWinsAndLoopbackHasNone() {
        #expect(choose("172.16.0.10") == "172.16.0.10")
        #expect(choose("127.0.0.1") == nil)
        #expect(choose("::1") == nil)
        // An injected 127.x LAN address (tests) counts as LAN.
        #expect(choose("127.0.0.2", [LANAddress(interface: "eth0", address: ip("127.0.0.2"))], []) == "127.0.0.2")
    }
}
