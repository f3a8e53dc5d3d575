import FacteurDNS

/// A list of networks ("192.0.2.0/24", "2001:db8::/32", bare addresses) that an address is
/// tested against; entries that do not parse are skipped.
struct AddressRanges: Sendable {
    let networks: [(address: IPAddress, prefix: Int)]

    init(_ texts: [String]) {
        networks = texts.compactMap(Self.network)
    }

    static func network(_ text: String) -> (address: IPAddress, prefix: Int)? {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let address = IPAddress(String(first))?.unmappedIPv4 else { return nil }
        let full = address.isIPv4 ? 32 : 128
        guard parts.count == 2 else { return (address, full) }
        guard let prefix = Int(parts[1]), (0...full).contains(prefix) else { return nil }
        return (address, prefix)
    }

    func contains(_ text: String) -> Bool {
        guard let address = IPAddress(text)?.unmappedIPv4 else { return false }
        return networks.contains { address.isIPv4 == $0.address.isIPv4 && address.matches($0.address, prefix: $0.prefix) }
    }
}
