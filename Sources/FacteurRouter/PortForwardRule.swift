import FacteurDNS
import FacteurNet

/// A rule to enter on the router ("port forwarding", "virtual server", "NAT rule"):
/// TCP connections to `publicPort` go to `lanAddress:localPort`.
public struct PortForwardRule: Sendable, Hashable {
    public var service: MailService
    public var publicPort: UInt16
    public var lanAddress: IPAddress
    public var localPort: UInt16

    public init(service: MailService, publicPort: UInt16, lanAddress: IPAddress, localPort: UInt16) {
        self.service = service
        self.publicPort = publicPort
        self.lanAddress = lanAddress
        self.localPort = localPort
    }

    public var target: SocketAddressText { SocketAddressText(address: lanAddress, port: localPort) }

    /// `TCP 25 → 192.168.1.10:2525` (IPv6 targets in brackets). ASCII mode uses `->`.
    public func text(ascii: Bool = false) -> String {
        "TCP \(publicPort) \(ascii ? "->" : "→") \(target)"
    }
}
