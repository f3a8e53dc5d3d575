import FacteurNet

/// Names used for address-to-name lookups: `in-addr.arpa` (RFC 1035 §3.5) and the nibble form
/// under `ip6.arpa` (RFC 3596 §2.5). DNSBLs use the same reversal under their own zone (RFC 5782 §2.1, §2.4).
public enum ReverseName {
    /// The reversed labels of `address`: `1.2.0.192` for 192.0.2.1, 32 nibbles for IPv6.
    public static func reversedLabels(of address: IPAddress) -> [String] {
        if address.isIPv4 {
            return address.bytes.reversed().map { String($0) }
        }
        let digits = Array("0123456789abcdef")
        var labels: [String] = []
        for byte in address.bytes.reversed() {
            labels.append(String(digits[Int(byte & 0x0F)]))
            labels.append(String(digits[Int(byte >> 4)]))
        }
        return labels
    }

    /// `1.2.0.192.in-addr.arpa` or `…ip6.arpa` for a PTR query.
    public static func pointerName(for address: IPAddress) -> String {
        (reversedLabels(of: address) + [address.isIPv4 ? "in-addr.arpa" : "ip6.arpa"]).joined(separator: ".")
    }

    /// The reversed address under `zone` (`2.0.0.127.zen.example.org`).
    public static func name(for address: IPAddress, under zone: String) -> String {
        let trimmedZone = zone.hasSuffix(".") ? String(zone.dropLast()) : zone
        return (reversedLabels(of: address) + [trimmedZone]).joined(separator: ".")
    }
}
