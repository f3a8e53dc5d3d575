import FacteurDNS
import FacteurNet

/// One address of a network interface of this machine.
public struct LANAddress: Sendable, Hashable, Codable {
    public var interface: String
    public var address: IPAddress
    public var prefixLength: Int?

    public init(interface: String, address: IPAddress, prefixLength: Int? = nil) {
        self.interface = interface
        self.address = address
        self.prefixLength = prefixLength
    }

    /// `192.168.1.10/24`.
    public var cidrText: String { prefixLength.map { "\(address)/\($0)" } ?? address.description }

    enum CodingKeys: String, CodingKey { case interface, address, family, prefixLength = "prefix_length", linkLocal = "link_local" }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(interface, forKey: .interface)
        try container.encode(address.description, forKey: .address)
        try container.encode(address.isIPv4 ? "ipv4" : "ipv6", forKey: .family)
        try container.encode(prefixLength, forKey: .prefixLength)
        try container.encode(address.isLinkLocal, forKey: .linkLocal)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        interface = try container.decode(String.self, forKey: .interface)
        let text = try container.decode(String.self, forKey: .address)
        guard let parsed = IPAddress(text) else {
            throw DecodingError.dataCorruptedError(forKey: .address, in: container, debugDescription: "not an IP address")
        }
        address = parsed
        prefixLength = try container.decodeIfPresent(Int.self, forKey: .prefixLength)
    }
}
