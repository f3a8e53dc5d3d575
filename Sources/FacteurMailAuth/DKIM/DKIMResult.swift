/// The result of verifying one DKIM signature (RFC 8601 §2.7.1).
public enum DKIMResult: String, Sendable, Hashable, CaseIterable {
    case none, pass, fail, policy, neutral, temperror, permerror
}

/// One signature's verdict, with what the Authentication-Results header reports about it.
public struct DKIMOutcome: Sendable, Hashable {
    public var result: DKIMResult
    /// d= (lowercased), s=, a=, i= and the first octets of b= (RFC 6008) of the signature.
    public var domain: String
    public var selector: String
    public var algorithm: String
    public var identity: String?
    public var signaturePrefix: String
    /// Why it did not pass, or a note ("body past l= is not signed").
    public var reason: String?

    public init(result: DKIMResult, domain: String = "", selector: String = "", algorithm: String = "",
                identity: String? = nil, signaturePrefix: String = "", reason: String? = nil) {
        self.result = result; self.domain = domain; self.selector = selector; self.algorithm = algorithm
        self.identity = identity; self.signaturePrefix = signaturePrefix; self.reason = reason
    }
}
