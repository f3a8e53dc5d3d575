/// The result of an SPF check (RFC 7208 §2.6), spelled as in Authentication-Results (RFC 8601 §2.7.2).
public enum SPFResult: String, Sendable, Hashable, CaseIterable {
    case none, neutral, pass, fail, softfail, temperror, permerror
}

/// What an SPF check found, for the Authentication-Results header and the policy.
public struct SPFOutcome: Sendable, Hashable {
    public var result: SPFResult
    /// `mailfrom` or `helo` (RFC 7208 §2.3, §2.4).
    public var identity: SPFIdentity
    /// The domain checked (the MAIL FROM domain, or the HELO name).
    public var domain: String
    /// The explanation of a `fail` (RFC 7208 §6.2), if the domain published one.
    public var explanation: String?
    /// Why the result is an error, or which term matched, for logs.
    public var reason: String?

    public init(result: SPFResult, identity: SPFIdentity, domain: String, explanation: String? = nil, reason: String? = nil) {
        self.result = result; self.identity = identity; self.domain = domain
        self.explanation = explanation; self.reason = reason
    }
}

public enum SPFIdentity: String, Sendable, Hashable {
    case mailfrom, helo
}

/// The qualifier of a mechanism (RFC 7208 §4.6.2).
public enum SPFQualifier: Character, Sendable, Hashable {
    case pass = "+", fail = "-", softfail = "~", neutral = "?"

    var result: SPFResult {
        switch self {
        case .pass: .pass
        case .fail: .fail
        case .softfail: .softfail
        case .neutral: .neutral
        }
    }
}
