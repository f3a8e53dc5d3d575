import Testing
import FacteurDNS
@testable import FacteurRouter

/// getifaddrs only reads the kernel's table; nothing is sent anywhere.
struct InterfaceScannerTests {
    @Test func neverListsLoopback() {
        let addresses = InterfaceScanner.lanAddresses()
        #expect(addresses.allSatisfy { !$0.address.isLoopback && $0.interface != "lo" })
        #expect(addresses.allSatisfy { ($0.prefixLength ?? 0) <= ($0.address.isIPv4 ? 32 : 128) })
    }
}
