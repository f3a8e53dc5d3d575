import FacteurNet

/// A source of answer records (the resolver, or its cache); the typed lookups of
/// `DNSLookupService` are built on `records(_:type:)` once, here.
public protocol DNSRecordLookup: DNSLookupService {
    /// The answer records of `type` for `name`, following a CNAME chain inside the answer.
    func records(_ name: String, type: DNSRecordType) async throws(DNSLookupError) -> [DNSResourceRecord]
}

extension DNSRecordLookup {
    public func lookupA(_ name: String) async throws(DNSLookupError) -> [String] {
        try await records(name, type: .a).compactMap { if case .a(let address) = $0.data { address.description } else { nil } }
    }

    public func lookupAAAA(_ name: String) async throws(DNSLookupError) -> [String] {
        try await records(name, type: .aaaa).compactMap { if case .aaaa(let address) = $0.data { address.description } else { nil } }
    }

    public func lookupMX(_ name: String) async throws(DNSLookupError) -> [DNSMailExchange] {
        try await records(name, type: .mx).compactMap { record -> DNSMailExchange? in
            guard case .mx(let preference, let exchange) = record.data else { return nil }
            return DNSMailExchange(preference: preference, exchange: exchange.description)
        }.sorted { ($0.preference, $0.exchange) < ($1.preference, $1.exchange) }
    }

    public func lookupPTR(_ address: String) async throws(DNSLookupError) -> [String] {
        guard let parsed = IPAddress(address) else { throw .invalidName(address) }
        return try await records(ReverseName.pointerName(for: parsed), type: .ptr).compactMap {
            if case .ptr(let target) = $0.data { target.description } else { nil }
        }
    }

    public func lookupTXT(_ name: String) async throws(DNSLookupError) -> [String] {
        try await records(name, type: .txt).compactMap { $0.data.textStrings?.joined() }
    }
}
