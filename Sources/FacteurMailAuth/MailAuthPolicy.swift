/// What the receiver does with the results (configurable; the defaults are the safe ones).
public struct MailAuthPolicy: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable {
        case reject, junk, ignore
    }

    /// DMARC fail where the domain asks p=reject (RFC 7489 §6.3).
    public var dmarcReject: Action = .reject
    /// DMARC fail where the domain asks p=quarantine.
    public var dmarcQuarantine: Action = .junk
    /// SPF fail (RFC 7208 §8.4).
    public var spfFail: Action = .junk
    /// From: one of our own domains, from outside, without an aligned SPF or DKIM pass.
    public var ownDomainForgery: Action = .reject
    /// A DNS error that keeps the verdict open: 451 (true) or deliver as if the check had no result.
    public var tempfailOnDNSError = true
    /// The domains this server receives mail for (lowercased).
    public var localDomains: Set<String> = []

    public init() {}
}

/// The decision for one message.
public enum MailAuthVerdict: Sendable, Hashable {
    /// Deliver, into the Junk folder when `junk`; `rule` names what sent it there.
    case deliver(junk: Bool, rule: String?)
    /// Refuse with 550 5.7.1 (or 451 4.7.x when `temporary`) and say why; `rule` is spf/dkim/dmarc.
    case reject(temporary: Bool, rule: String, text: String)
}

extension MailAuthPolicy {
    /// Applies the policy to the results of one message.
    public func verdict(_ results: AuthenticationResults, ownDomainAuthenticated: Bool?, fromDomain: String?) -> MailAuthVerdict {
        let spf = results.spf?.result ?? .none
        let dmarc = results.dmarc
        let dmarcResult = dmarc?.result ?? .none
        let dkimTemporary = results.dkim.contains { $0.result == .temperror }
        // A DNS failure that might hide a pass: never a silent pass.
        if tempfailOnDNSError, dmarcResult != .pass,
           dmarcResult == .temperror || spf == .temperror || (dmarcResult == .fail && dkimTemporary) {
            let rule = dmarcResult == .temperror ? "dmarc" : spf == .temperror ? "spf" : "dkim"
            return .reject(temporary: true, rule: rule, text: "Temporary DNS failure checking \(rule.uppercased()); try again later")
        }
        var junk: String?
        if let dmarc, dmarc.result == .fail {
            let action = dmarc.disposition == .reject ? dmarcReject : dmarc.disposition == .quarantine ? dmarcQuarantine : .ignore
            switch action {
            case .reject:
                return .reject(temporary: false, rule: "dmarc",
                               text: "DMARC policy of \(dmarc.fromDomain) rejects this message (no aligned SPF or DKIM pass)")
            case .junk: junk = "dmarc"
            case .ignore: break
            }
        }
        if ownDomainAuthenticated == false, let fromDomain {
            switch ownDomainForgery {
            case .reject:
                return .reject(temporary: false, rule: "forgery",
                               text: "From: \(fromDomain) is our domain, but this message is not authenticated (SPF/DKIM)")
            case .junk: junk = junk ?? "forgery"
            case .ignore: break
            }
        }
        if spf == .fail {
            switch spfFail {
            case .reject:
                let domain = results.spf?.domain ?? ""
                return .reject(temporary: false, rule: "spf", text: "SPF of \(domain) does not allow this sender")
            case .junk: junk = junk ?? "spf"
            case .ignore: break
            }
        }
        return .deliver(junk: junk != nil, rule: junk)
    }
}
