import FacteurNet

/// Fixture addresses written as octets (`.v4([127, 0, 0, 10])`), as DNS answers are.
extension IPAddress {
    public static func v4(_ octets: [UInt8]) -> IPAddress {
        precondition(octets.count == 4, "an IPv4 fixture has 4 octets")
        return IPAddress(bytes: octets)!
    }

    public static func v6(_ octets: [UInt8]) -> IPAddress {
        precondition(octets.count == 16, "an IPv6 fixture has 16 octets")
        return IPAddress(bytes: octets)!
    }
}
