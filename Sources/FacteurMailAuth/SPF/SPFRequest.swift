import FacteurNet
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
        self.client = client
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
    /// True when `self` lies in the network of `prefix` bits around `other` (same family only).
    public func matches(_ other: IPAddress, prefix: Int) -> Bool {
        guard isIPv4 == other.isIPv4, let network = IPNetwork(address: other, prefixLength: prefix) else { return false }
        return network.contains(self)
    }
}
