import FacteurDNS

/// DMARC (RFC 7489 §6.6): the policy record of the From domain (or of its organisational
/// domain), identifier alignment of SPF and DKIM, and the disposition after sp= and pct=.
public struct DMARCEvaluator: Sendable {
    public var resolver: any DNSLookupService
    public var suffixes: PublicSuffixList

    public init(resolver: any DNSLookupService, suffixes: PublicSuffixList) {
        self.resolver = resolver
        self.suffixes = suffixes
    }

    /// The record that applies to `fromDomain` (§6.6.3) and whether it came from the organisational domain.
    public enum RecordLookup: Sendable, Hashable {
        case found(DMARCRecord, atOrganizationalDomain: Bool)
        case none
        case temporaryError(String)
    }

    public func lookupRecord(fromDomain: String) async -> RecordLookup {
        switch await record(at: "_dmarc.\(fromDomain)") {
        case .found(let record, _): return .found(record, atOrganizationalDomain: false)
        case .temporaryError(let why): return .temporaryError(why)
        case .none: break
        }
        let organizational = suffixes.organizationalDomain(fromDomain)
        guard organizational != fromDomain else { return .none }
        switch await record(at: "_dmarc.\(organizational)") {
        case .found(let record, _): return .found(record, atOrganizationalDomain: true)
        case let other: return other
        }
    }

    func record(at name: String) async -> RecordLookup {
        do {
            // §6.6.3: exactly one DMARC record; several mean none applies.
            let records = try await resolver.lookupTXT(name).filter(DMARCRecord.isDMARC)
            guard records.count == 1, let record = DMARCRecord(records[0]) else { return .none }
            return .found(record, atOrganizationalDomain: false)
        } catch {
            switch error {
            case .nameDoesNotExist, .noData, .invalidName: return .none
            default: return .temporaryError("DMARC lookup of \(name) failed: \(error.summary)")
            }
        }
    }

    /// Combines the record with the SPF and DKIM results. `sample` is a number in 0..<100 that
    /// decides whether pct= applies (injected so that tests are exact).
    public func evaluate(fromDomain: String, lookup: RecordLookup, spf: SPFOutcome, dkim: [DKIMOutcome],
                         sample: Int) -> DMARCOutcome {
        let record: DMARCRecord, atOrganizational: Bool
        switch lookup {
        case .none: return DMARCOutcome(result: .none, fromDomain: fromDomain, reason: "no DMARC record")
        case .temporaryError(let why): return DMARCOutcome(result: .temperror, fromDomain: fromDomain, reason: why)
        case .found(let r, let org): record = r; atOrganizational = org
        }
        // §3.1.1, §3.1.2: identifier alignment.
        // The SPF identity is MAIL FROM, or the HELO name for the null sender (§3.1.2, RFC 7208 §2.4).
        let spfAligned = spf.result == .pass && aligned(spf.domain, fromDomain, record.spfAlignment)
        let dkimAligned = dkim.contains { $0.result == .pass && aligned($0.domain, fromDomain, record.dkimAlignment) }
        if spfAligned || dkimAligned {
            return DMARCOutcome(result: .pass, fromDomain: fromDomain, publishedPolicy: record.policy,
                                reason: dkimAligned ? "aligned DKIM pass" : "aligned SPF pass")
        }
        var disposition = atOrganizational ? (record.subdomainPolicy ?? record.policy) : record.policy
        // §6.6.4: a message outside pct= gets the next weaker policy.
        if sample >= record.percent {
            disposition = disposition == .reject ? .quarantine : .none
        }
        return DMARCOutcome(result: .fail, fromDomain: fromDomain, disposition: disposition, publishedPolicy: record.policy,
                            reason: "no aligned SPF or DKIM pass")
    }

    /// Strict: the same name; relaxed: the same organisational domain.
    public func aligned(_ a: String, _ b: String, _ mode: DMARCRecord.Alignment) -> Bool {
        let x = a.lowercased(), y = b.lowercased()
        switch mode {
        case .strict: return x == y
        case .relaxed: return x == y || suffixes.organizationalDomain(x) == suffixes.organizationalDomain(y)
        }
    }
}
