import FacteurTestSupport
import Testing
@testable import FacteurNet

/// Parses a fixture address; a typo in a fixture fails the test.
func ip(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> IPAddress {
    guard let address = IPAddress(text) else {
        Issue.record("fixture is not an address: \(text)", sourceLocation: sourceLocation)
        return .loopbackV4
    }
    return address
}

/// Parses a fixture network; a typo in a fixture fails the test.
func net(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> IPNetwork {
    guard let network = IPNetwork(text) else {
        Issue.record("fixture is not a network: \(text)", sourceLocation: sourceLocation)
        return .loopbackV4Host
    }
    return network
}

/// Half IPv4, half global-unicast IPv6.
func randomAddress(_ random: inout SeededRandom) -> IPAddress {
    random.next() % 2 == 0
        ? IPAddress(ipv4: UInt32(truncatingIfNeeded: random.next()))
        : IPAddress(high: 0x2000_0000_0000_0000 | random.next() >> 4, low: random.next())
}
