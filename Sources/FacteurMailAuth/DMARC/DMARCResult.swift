/// The DMARC result (RFC 7489 §11.2, RFC 8601 §2.7.1) and the policy the domain asks for.
public enum DMARCResult: String, Sendable, Hashable, CaseIterable {
    case none, pass, fail, temperror, permerror
}

public struct DMARCOutcome: Sendable, Hashable {
    public var result: DMARCResult
    /// The RFC5322.From domain (header.from).
    public var fromDomain: String
    /// The policy that applies to this message after sp= and pct= (none unless result is fail).
    public var disposition: DMARCRecord.Policy
    /// The record's p= (reported in the header comment), nil when there is no record.
    public var publishedPolicy: DMARCRecord.Policy?
    public var reason: String?

    public init(result: DMARCResult, fromDomain: String, disposition: DMARCRecord.Policy = .none,
                publishedPolicy: DMARCRecord.Policy? = nil, reason: String? = nil) {
        self.result = result; self.fromDomain = fromDomain; self.disposition = disposition
        self.publishedPolicy = publishedPolicy; self.reason = reason
    }
}
