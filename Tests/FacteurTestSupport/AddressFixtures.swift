import FacteurNet
import Testing

/// Parses a fixture address; a typo in a fixture fails the test.
public func ip(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> IPAddress {
    guard let address = IPAddress(text) else {
        Issue.record("fixture is not an address: \(text)", sourceLocation: sourceLocation)
        return .loopbackV4
    }
    return address
}

/// Parses a fixture network; a typo in a fixture fails the test.
public func net(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> IPNetwork {
    guard let network = IPNetwork(text) else {
        Issue.record("fixture is not a network: \(text)", sourceLocation: sourceLocation)
        return .loopbackV4Host
    }
    return network
}
