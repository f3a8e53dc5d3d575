/// Every bound the address parsers respect, in one place.
public enum NetLimits {
    /// Longest address text accepted by `IPAddress(_:)`: a full IPv6 address with an embedded
    /// dotted quad is 45 characters (RFC 4291 section 2.2, form 3).
    public static let maxAddressTextLength = 45
    /// Longest CIDR text accepted by `IPNetwork(_:)`: address, "/", three digits.
    public static let maxNetworkTextLength = maxAddressTextLength + 4
    /// Longest port text: 65535.
    public static let maxPortDigits = 5
}
