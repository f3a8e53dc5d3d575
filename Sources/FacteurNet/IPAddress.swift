import Foundation

/// An IPv4 or IPv6 address, held as one 128-bit value.
///
/// IPv4 addresses are stored in their IPv4-mapped IPv6 form `::ffff:a.b.c.d` (RFC 4291 section
/// 2.5.5.2). So `IPAddress("::ffff:192.0.2.7")` and `IPAddress("192.0.2.7")` are the same value,
/// both print as `192.0.2.7` and both match IPv4 rules: a dual-stack listener that reports a
/// mapped address cannot slip past an IPv4 ban.
public struct IPAddress: Hashable, Comparable, Sendable {
    /// Bits 0–63 of the address (most significant first).
    public let high: UInt64
    /// Bits 64–127 of the address.
    public let low: UInt64

    /// The upper 64 bits and the `0000:ffff` group of every IPv4-mapped address.
    static let mappedHigh: UInt64 = 0
    static let mappedLowPrefix: UInt64 = 0x0000_FFFF_0000_0000

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// An IPv4 address from its 32-bit value in host order (192.0.2.7 is 0xC000_0207).
    public init(ipv4: UInt32) {
        self.init(high: Self.mappedHigh, low: Self.mappedLowPrefix | UInt64(ipv4))
    }

    /// An address from its network-order bytes: 4 for IPv4, 16 for IPv6 (as in `sockaddr_in`
    /// and `sockaddr_in6`). Any other count gives nil.
    public init?(bytes: some Collection<UInt8>) {
        let array = Array(bytes.prefix(17))
        switch array.count {
        case 4:
            let value = array.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            self.init(ipv4: value)
        case 16:
            let high = array[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = array[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            self.init(high: high, low: low)
        default:
            return nil
        }
    }

    /// True for IPv4 addresses, including those written as `::ffff:a.b.c.d`.
    public var isIPv4: Bool {
        high == Self.mappedHigh && (low & 0xFFFF_FFFF_0000_0000) == Self.mappedLowPrefix
    }

    /// The 32-bit IPv4 value, or nil for an IPv6 address.
    public var ipv4: UInt32? {
        isIPv4 ? UInt32(truncatingIfNeeded: low) : nil
    }

    /// Network-order bytes: 4 for IPv4, 16 for IPv6.
    public var bytes: [UInt8] {
        if let v4 = ipv4 {
            return (0..<4).map { UInt8(truncatingIfNeeded: v4 >> (24 - 8 * $0)) }
        }
        let h = (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64($0))) }
        let l = (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64($0))) }
        return h + l
    }

    /// 127.0.0.0/8 or ::1.
    public var isLoopback: Bool {
        if let v4 = ipv4 { return v4 >> 24 == 127 }
        return self == Self.loopbackV6
    }

    /// 169.254.0.0/16 or fe80::/10.
    public var isLinkLocal: Bool {
        if let v4 = ipv4 { return v4 >> 16 == 0xA9FE }
        return high >> 54 == 0x3FA
    }

    /// 0.0.0.0 or ::.
    public var isUnspecified: Bool {
        ipv4 == 0 || (high == 0 && low == 0)
    }

    /// The 16 network-order bytes of the 128-bit form (IPv4 as `::ffff:a.b.c.d`), as an AAAA
    /// record or `sockaddr_in6` holds it.
    public var bytes16: [UInt8] {
        (0..<16).map { UInt8(truncatingIfNeeded: ($0 < 8 ? high : low) >> (56 - 8 * UInt64($0 % 8))) }
    }

    public static func < (a: IPAddress, b: IPAddress) -> Bool {
        (a.high, a.low) < (b.high, b.low)
    }

    public static let loopbackV4 = IPAddress(ipv4: 0x7F00_0001)
    public static let loopbackV6 = IPAddress(high: 0, low: 1)
}
