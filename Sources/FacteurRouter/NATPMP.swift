import FacteurDNS
import FacteurNet

/// NAT-PMP public address request (RFC 6886 §3.2): the router tells its external IPv4 address.
/// Only used when the administrator turns discovery on (`[router] discover = true`).
public enum NATPMP {
    /// The router listens on UDP 5351 (RFC 6886 §3.1).
    public static let port: UInt16 = 5351

    /// Request: version 0, opcode 0 (RFC 6886 §3.2).
    public static let request: [UInt8] = [0, 0]

    /// Response: version 0, opcode 128, result code 0 (success), epoch, four address octets.
    public static func parse(_ b: [UInt8]) -> IPAddress? {
        guard b.count >= 12, b[0] == 0, b[1] == 128, b[2] == 0, b[3] == 0 else { return nil }
        return IPAddress(bytes: Array(b[8..<12]))
    }

    /// Asks `gateway` with the RFC's retransmission schedule (250 ms, doubling), `tries` times.
    public static func publicAddress(gateway: SocketAddressText, tries: Int = 3) -> IPAddress? {
        guard let socket = try? PosixSocket(family: gateway.address, kind: .datagram) else { return nil }
        guard (try? socket.connect(to: gateway, deadline: .now + .seconds(1))) != nil else { return nil }
        var wait = Duration.milliseconds(250)
        for _ in 0..<max(1, tries) {
            guard (try? socket.send(request, until: .now + .seconds(1))) != nil else { return nil }
            let deadline = ContinuousClock.now + wait
            while ContinuousClock.now < deadline {
                guard let reply = try? socket.receive(maximum: 64, until: deadline) else { break }
                if let address = parse(reply) { return address }
            }
            wait *= 2
        }
        return nil
    }
}
