import FacteurGuard
import FacteurNet

/// Where a password may be sent without TLS (RFC 2595 §2.2, RFC 3501 §6.2.3: not on an unencrypted
/// connection unless the administrator chooses to, e.g. for the office LAN).
///
/// Only the loopback hosts 127.0.0.1 and ::1 are implicitly trusted, as the guard's `never_ban`
/// default trusts them; other 127.x.y.z addresses are ordinary clients. Everything else needs a
/// `plaintext_networks` entry of its service.
public struct PlaintextPolicy: Sendable, Equatable {
    public let networks: [IPNetwork]
    /// Configured entries that are not CIDR blocks (ignored; reported at start-up).
    public let invalidEntries: [String]

    static let implicitlyTrusted = [IPNetwork.loopbackV4Host, IPNetwork.loopbackV6Host]

    public init(networks: [String]) {
        var parsed: [IPNetwork] = [], invalid: [String] = []
        for text in networks {
            if let network = IPNetwork(text) { parsed.append(network) } else { invalid.append(text) }
        }
        self.networks = parsed
        self.invalidEntries = invalid
    }

    /// True when a client at `remoteAddress` may log in with a password without TLS.
    public func allowsPlaintext(from remoteAddress: String) -> Bool {
        guard let a = IPAddress(remoteAddress) else { return false }
        return (Self.implicitlyTrusted + networks).contains { $0.contains(a) }
    }
}
