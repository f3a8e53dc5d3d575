/// The lookups other modules need, as a protocol so that they can inject a fake resolver.
/// `DNSResolver` is the real implementation.
public protocol DNSLookupService: Sendable {
    /// IPv4 addresses of `name` as text, following CNAMEs in the answer.
    func lookupA(_ name: String) async throws(DNSLookupError) -> [String]
    /// IPv6 addresses of `name` as text (RFC 5952 form), following CNAMEs in the answer.
    func lookupAAAA(_ name: String) async throws(DNSLookupError) -> [String]
    /// Mail exchangers of `name`, sorted by preference then name (RFC 5321 §5.1).
    func lookupMX(_ name: String) async throws(DNSLookupError) -> [DNSMailExchange]
    /// Names an IPv4 or IPv6 address maps back to (RFC 1035 §3.5, RFC 3596 §2.5).
    func lookupPTR(_ address: String) async throws(DNSLookupError) -> [String]
    /// TXT strings of `name`, each record's strings concatenated (RFC 7208 §3.3 style).
    func lookupTXT(_ name: String) async throws(DNSLookupError) -> [String]
}

/// One MX answer.
public struct DNSMailExchange: Sendable, Hashable, CustomStringConvertible {
    public var preference: UInt16
    /// Host name without the trailing dot.
    public var exchange: String

    public init(preference: UInt16, exchange: String) {
        self.preference = preference
        self.exchange = exchange
    }

    public var description: String { "\(preference) \(exchange)" }
}
