import Foundation

/// A CIDR block: `192.0.2.0/24`, `2001:db8::/32`, or one address (`/32`, `/128`).
///
/// Like `IPAddress`, IPv4 networks live inside `::ffff:0:0/96`: `192.0.2.0/24` is stored as a
/// 120-bit prefix. So IPv4 rules match IPv4-mapped IPv6 client addresses, and `0.0.0.0/0` covers
/// every IPv4 address but no IPv6 one. An IPv6 network shorter than /96 that covers
/// `::ffff:0:0/96` (such as `::/0`) also covers every IPv4 address.
public struct IPNetwork: Hashable, Sendable {
    /// The first address of the block (host bits are always zero).
    public let address: IPAddress
    /// Prefix length over the 128-bit form (0...128). For IPv4 networks it is 96 + the IPv4 length.
    public let length128: Int

    /// Builds the network holding `address` with `prefixLength` bits, clearing host bits.
    /// `prefixLength` counts IPv4 bits (0...32) when `address` is IPv4, IPv6 bits (0...128)
    /// otherwise; nil when out of range.
    public init?(address: IPAddress, prefixLength: Int) {
        let limit = address.isIPv4 ? 32 : 128
        guard (0...limit).contains(prefixLength) else { return nil }
        self.init(address: address, length128: address.isIPv4 ? 96 + prefixLength : prefixLength)
    }

    /// Builds the network of `length128` bits (0...128, clamped) over the 128-bit form.
    public init(address: IPAddress, length128: Int) {
        let length = min(max(length128, 0), 128)
        let (maskHigh, maskLow) = Bits128.mask(length)
        self.address = IPAddress(high: address.high & maskHigh, low: address.low & maskLow)
        self.length128 = length
    }

    /// The network holding exactly one address (/32 or /128).
    public init(host: IPAddress) {
        self.init(address: host, length128: 128)
    }

    /// True when the network lies within IPv4 space (`::ffff:0:0/96` or longer).
    public var isIPv4: Bool { length128 >= 96 && address.isIPv4 }

    /// Prefix length as written: 0...32 for IPv4 networks, 0...128 for IPv6 ones.
    public var prefixLength: Int { isIPv4 ? length128 - 96 : length128 }

    /// True when the network is a single address.
    public var isHost: Bool { length128 == 128 }

    /// True when `candidate` lies in this network.
    @inlinable @inline(__always)
    public func contains(_ candidate: IPAddress) -> Bool {
        let (maskHigh, maskLow) = Bits128.mask(length128)
        return candidate.high & maskHigh == address.high && candidate.low & maskLow == address.low
    }

    /// True when every address of `other` lies in this network.
    public func contains(_ other: IPNetwork) -> Bool {
        other.length128 >= length128 && contains(other.address)
    }

    /// True when the two networks share at least one address.
    public func overlaps(_ other: IPNetwork) -> Bool {
        contains(other) || other.contains(self)
    }

    public static let loopbackV4Host = IPNetwork(host: .loopbackV4)
    public static let loopbackV6Host = IPNetwork(host: .loopbackV6)
}

extension IPNetwork: CustomStringConvertible, LosslessStringConvertible {
    /// Parses `a.b.c.d/n`, `v6/n`, or a bare address (a /32 or /128). Host bits set after the
    /// prefix (`192.0.2.7/24`) are accepted and cleared: the network prints as `192.0.2.0/24`.
    /// The prefix is decimal without leading zeros.
    public init?(_ description: String) {
        let text = Substring(description)
        guard !text.isEmpty, text.utf8.count <= NetLimits.maxNetworkTextLength else { return nil }
        if let slash = text.firstIndex(of: "/") {
            guard let address = IPAddress(text: text[..<slash]),
                  let length = IPAddress.parseDecimal(text[text.index(after: slash)...], maxDigits: 3)
            else { return nil }
            // "::ffff:192.0.2.0/120" is written in IPv6 terms although the address is IPv4.
            let writtenAsIPv6 = text[..<slash].contains(":")
            if address.isIPv4, writtenAsIPv6 {
                guard length <= 128 else { return nil }
                self.init(address: address, length128: length)
            } else {
                self.init(address: address, prefixLength: length)
            }
        } else {
            guard let address = IPAddress(text: text) else { return nil }
            self.init(host: address)
        }
    }

    /// `192.0.2.0/24`, `2001:db8::/32`, `192.0.2.7/32`: always with the prefix length.
    public var description: String {
        if isIPv4 {
            return "\(address)/\(prefixLength)"
        }
        // Shorter than /96, the masked address can no longer be IPv4-mapped (`::ffff:0:0/95`
        // masks to `::fffe:0:0/95`), so it prints in IPv6 form.
        return "\(address)/\(length128)"
    }
}

extension IPNetwork: Codable {
    /// Encoded as its canonical CIDR text.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let network = IPNetwork(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a CIDR network: \(text)")
        }
        self = network
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
