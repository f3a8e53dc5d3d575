import FacteurDNS
import FacteurNet

/// A default route read from the kernel's routing table.
public struct DefaultGateway: Sendable, Hashable, Codable {
    public var interface: String
    public var address: IPAddress
    public var metric: UInt32

    public init(interface: String, address: IPAddress, metric: UInt32 = 0) {
        self.interface = interface
        self.address = address
        self.metric = metric
    }

    enum CodingKeys: String, CodingKey { case interface, address, family, metric }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(interface, forKey: .interface)
        try container.encode(address.description, forKey: .address)
        try container.encode(address.isIPv4 ? "ipv4" : "ipv6", forKey: .family)
        try container.encode(metric, forKey: .metric)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        interface = try container.decode(String.self, forKey: .interface)
        guard let parsed = IPAddress(try container.decode(String.self, forKey: .address)) else {
            throw DecodingError.dataCorruptedError(forKey: .address, in: container, debugDescription: "not an IP address")
        }
        address = parsed
        metric = try container.decodeIfPresent(UInt32.self, forKey: .metric) ?? 0
    }
}
