import FacteurNet

/// A DNS blocklist query (RFC 5782): the address is reversed under the list's zone and an A
/// answer in 127.0.0.0/8 means "listed" (§2.1); NXDOMAIN means "not listed" (§2.1).
public struct DNSBLCheck: Sendable, Hashable {
    /// The list's zone, e.g. `zen.spamhaus.org`.
    public var zone: String

    public init(zone: String) { self.zone = zone }

    /// `2.0.2.192.zone` for 192.0.2.2; 32 nibbles then the zone for IPv6 (§2.4). An IPv4-mapped
    /// IPv6 address (`::ffff:192.0.2.2`) is queried as IPv4. Nil when `address` is not an address.
    public func queryName(for address: String) -> String? {
        guard let parsed = IPAddress(address) else { return nil }
        return ReverseName.name(for: parsed, under: zone)
    }

    /// Reads the A answers of a DNSBL query.
    public static func interpret(_ answers: [String]) -> DNSBLVerdict {
        var listed: [String] = []
        var refused: [String] = []
        var invalid: [String] = []
        for answer in answers {
            guard let code = IPAddress(answer)?.ipv4, code >> 24 == 127 else {
                invalid.append(answer)
                continue
            }
            // 127.255.255.0/24 is used by lists to say "query refused" (e.g. Spamhaus
            // 127.255.255.254 for queries through public resolvers); it is not a listing.
            if code >> 8 == 0x7F_FFFF { refused.append(answer) } else { listed.append(answer) }
        }
        if !listed.isEmpty { return .listed(codes: listed) }
        if !refused.isEmpty { return .refusedByList(codes: refused) }
        if !invalid.isEmpty { return .invalidAnswer(invalid) }
        return .notListed
    }

    /// Queries the list through `resolver`.
    public func check(_ address: String, using resolver: any DNSLookupService) async -> DNSBLVerdict {
        guard let name = queryName(for: address) else { return .unavailable(.invalidName(address)) }
        do {
            return Self.interpret(try await resolver.lookupA(name))
        } catch {
            switch error {
            case .nameDoesNotExist, .noData: return .notListed
            default: return .unavailable(error)
            }
        }
    }

}

/// The outcome of a DNSBL query.
public enum DNSBLVerdict: Sendable, Equatable {
    /// The list returned these 127.x.y.z codes.
    case listed(codes: [String])
    case notListed
    /// The list answered with 127.255.255.x: it refuses to answer this resolver.
    case refusedByList(codes: [String])
    /// Addresses outside 127.0.0.0/8: a misbehaving list or a resolver that rewrites NXDOMAIN.
    case invalidAnswer([String])
    /// The query failed (timeout, SERVFAIL …); callers should fail open.
    case unavailable(DNSLookupError)

    public var isListed: Bool { if case .listed = self { true } else { false } }
}
