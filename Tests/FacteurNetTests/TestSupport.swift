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

/// A small deterministic generator, so random test data is the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// Half IPv4, half global-unicast IPv6.
func randomAddress(_ random: inout SplitMix64) -> IPAddress {
    random.next() % 2 == 0
        ? IPAddress(ipv4: UInt32(truncatingIfNeeded: random.next()))
        : IPAddress(high: 0x2000_0000_0000_0000 | random.next() >> 4, low: random.next())
}
