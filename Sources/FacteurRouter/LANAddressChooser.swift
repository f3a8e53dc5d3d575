import FacteurDNS
import FacteurNet

/// Picks the LAN address a router rule should forward to.
public enum LANAddressChooser {
    /// The listener's own address when it binds one; for wildcards an IPv4 address on the
    /// interface of the default gateway (in the gateway's subnet when the prefix is known),
    /// then any IPv4 address, then a global IPv6 address. Link-local addresses are never used.
    /// Nil when the listener binds loopback only or no address fits.
    public static func choose(for listener: RouterListener, among addresses: [LANAddress],
                              gateways: [DefaultGateway]) -> IPAddress? {
        if let bound = listener.bindAddress {
            if bound.isLoopback && !addresses.contains(where: { $0.address == bound }) { return nil }
            return bound
        }
        let usable = addresses.filter { !$0.address.isLinkLocal }
        let ipv4 = usable.filter { $0.address.isIPv4 }
        let ipv4Gateways = gateways.filter { $0.address.isIPv4 }
        for gateway in ipv4Gateways {
            if let match = ipv4.first(where: { $0.interface == gateway.interface && sameSubnet($0, gateway.address) }) { return match.address }
        }
        for gateway in ipv4Gateways {
            if let match = ipv4.first(where: { $0.interface == gateway.interface }) { return match.address }
        }
        if let first = ipv4.first { return first.address }
        guard listener.host != "0.0.0.0" else { return nil }
        return usable.first { !$0.address.isIPv4 }?.address
    }

    /// True when `address` lies in `lan`'s subnet; true when the prefix is unknown.
    static func sameSubnet(_ lan: LANAddress, _ address: IPAddress) -> Bool {
        guard let prefix = lan.prefixLength else { return true }
        guard lan.address.isIPv4 == address.isIPv4,
              let subnet = IPNetwork(address: lan.address, prefixLength: prefix) else { return false }
        return subnet.contains(address)
    }
}
