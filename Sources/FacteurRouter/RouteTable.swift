import FacteurDNS
import FacteurNet

/// Finds default gateways in the text of `/proc/net/route` and `/proc/net/ipv6_route`
/// (proc(5)). Only files are read: nothing is ever sent to the gateway.
public enum RouteTable {
    public static let ipv4Path = "/proc/net/route"
    public static let ipv6Path = "/proc/net/ipv6_route"
    /// Bytes read from each file; routing tables of a small office server are tiny.
    public static let maxFileBytes = 1 << 20
    /// RTF_UP and RTF_GATEWAY from <linux/route.h>.
    static let routeUp: UInt32 = 0x0001
    static let routeGateway: UInt32 = 0x0002

    /// `Iface Destination Gateway Flags RefCnt Use Metric Mask …`: addresses are 32-bit hex in
    /// host byte order, so their in-memory bytes are the address in network order.
    public static func ipv4Gateways(in text: String) -> [DefaultGateway] {
        var found: [DefaultGateway] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 8,
                  let destination = UInt32(fields[1], radix: 16), let gateway = UInt32(fields[2], radix: 16),
                  let flags = UInt32(fields[3], radix: 16), let metric = UInt32(fields[6]),
                  let mask = UInt32(fields[7], radix: 16) else { continue }
            guard destination == 0, mask == 0, gateway != 0, flags & (routeUp | routeGateway) == routeUp | routeGateway else { continue }
            let octets = withUnsafeBytes(of: gateway) { Array($0) }
            guard let address = IPAddress(bytes: octets) else { continue }
            found.append(DefaultGateway(interface: String(fields[0]), address: address, metric: metric))
        }
        return found.sorted { $0.metric < $1.metric }
    }

    /// `dest plen src splen nexthop metric refcnt use flags iface`: addresses are 32 hex digits
    /// in network order.
    public static func ipv6Gateways(in text: String) -> [DefaultGateway] {
        var found: [DefaultGateway] = []
        for line in text.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 10, fields[1] == "00", fields[0].allSatisfy({ $0 == "0" }),
                  let nextHop = hexOctets(fields[4]), nextHop.count == 16, nextHop.contains(where: { $0 != 0 }),
                  let metric = UInt32(fields[5], radix: 16), let flags = UInt32(fields[8], radix: 16),
                  flags & (routeUp | routeGateway) == routeUp | routeGateway,
                  let address = IPAddress(bytes: nextHop) else { continue }
            found.append(DefaultGateway(interface: String(fields[9]), address: address, metric: metric))
        }
        return found.sorted { $0.metric < $1.metric }
    }

    static func hexOctets(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var octets: [UInt8] = []
        var index = 0
        while index < digits.count {
            guard let value = UInt8(String(decoding: digits[index..<(index + 2)], as: UTF8.self), radix: 16) else { return nil }
            octets.append(value)
            index += 2
        }
        return octets
    }
}
