import FacteurDNS
import Foundation

/// The inputs of one SPF check (RFC 7208 §4.1): the client address, the HELO name, the MAIL FROM.
public struct SPFRequest: Sendable, Hashable {
    public var client: IPAddress
    public var helo: String
    /// The reverse-path without brackets; "" for the null sender.
    public var mailFrom: String
    /// Our host name, for the %{r} macro.
    public var receiver: String
    public var now: Date

    public init(client: IPAddress, helo: String, mailFrom: String, receiver: String, now: Date) {
        // RFC 7208 §5: an IPv4-mapped IPv6 client is treated as the IPv4 address it carries.
        self.client = client.unmappedIPv4
        self.helo = helo; self.mailFrom = mailFrom; self.receiver = receiver; self.now = now
    }

    /// The identity checked (§2.4): MAIL FROM, or postmaster@HELO for the null sender.
    public var identity: SPFIdentity { mailFrom.isEmpty ? .helo : .mailfrom }

    /// `local-part@domain` of the sender as SPF sees it (§4.3: an empty local part is "postmaster").
    public var sender: (local: String, domain: String) {
        guard !mailFrom.isEmpty, let at = mailFrom.lastIndex(of: "@") else {
            return ("postmaster", mailFrom.isEmpty ? helo : mailFrom)
        }
        let local = String(mailFrom[..<at])
        return (local.isEmpty ? "postmaster" : local, String(mailFrom[mailFrom.index(after: at)...]))
    }
}

extension IPAddress {
    /// ::ffff:a.b.c.d as a.b.c.d; every other address unchanged.
    public var unmappedIPv4: IPAddress {
        if case .v6(let b) = self, b.count == 16, b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xFF, b[11] == 0xFF {
            return .v4(Array(b[12..<16]))
        }
        return self
    }

    /// True when the first `prefix` bits of `self` and `other` are equal (same family only).
    public func matches(_ other: IPAddress, prefix: Int) -> Bool {
        let a = octets, b = other.octets
        guard a.count == b.count, prefix <= a.count * 8 else { return false }
        let full = prefix / 8
        guard a[0..<full] == b[0..<full] else { return false }
        let bits = prefix % 8
        guard bits > 0 else { return true }
        let mask = UInt8(0xFF) << (8 - bits)
        return a[full] & mask == b[full] & mask
    }
}
