/// Per-connection settings the edge decides before the greeting.
public struct POP3SessionConfiguration: Sendable, Equatable {
    /// Host name shown in the greeting.
    public var hostname: String
    /// Sent as the IMPLEMENTATION capability (RFC 2449 §6.9).
    public var implementation: String
    /// The connection is already under TLS (port 995, RFC 8314).
    public var isTLS: Bool
    /// A certificate is configured, so STLS can be offered (RFC 2595 §4).
    public var tlsAvailable: Bool
    /// USER/PASS and AUTH PLAIN are allowed without TLS for this client (e.g. loopback).
    public var plaintextLoginAllowed: Bool
    /// Key for `PasswordDigest`; the same for every session of the process.
    public var digestKey: PasswordDigestKey
    public var limits: POP3Limits

    public init(hostname: String, implementation: String = "Facteur", isTLS: Bool, tlsAvailable: Bool,
                plaintextLoginAllowed: Bool, digestKey: PasswordDigestKey, limits: POP3Limits = .standard) {
        self.hostname = hostname; self.implementation = implementation; self.isTLS = isTLS
        self.tlsAvailable = tlsAvailable; self.plaintextLoginAllowed = plaintextLoginAllowed
        self.digestKey = digestKey; self.limits = limits
    }
}
