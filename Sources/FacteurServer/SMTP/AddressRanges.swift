import FacteurNet

/// A list of networks ("192.0.2.0/24", "2001:db8::/32", bare addresses) that an address is
/// tested against; entries that do not parse are skipped.
struct AddressRanges: Sendable {
    let networks: [IPNetwork]

    init(_ texts: [String]) {
        networks = texts.compactMap(IPNetwork.init)
    }

    func contains(_ text: String) -> Bool {
        guard let address = IPAddress(text) else { return false }
        return networks.contains { $0.contains(address) }
    }
}
