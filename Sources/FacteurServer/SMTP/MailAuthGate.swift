import FacteurNet
import FacteurCore
import FacteurDNS
import FacteurMailAuth
import FacteurStore
import Foundation

/// The mail-authentication checks of the SMTP receiver, built from `[mailauth]`: which clients
/// are checked, the caching resolver, the Public Suffix List and the policy.
public final class MailAuthGate: Sendable {
    public let authenticator: MailAuthenticator
    let trusted: AddressRanges

    public init(authenticator: MailAuthenticator, trustedNetworks: [String]) {
        self.authenticator = authenticator
        self.trusted = AddressRanges(trustedNetworks)
    }

    /// nil when checks are off or no resolver is available (reported on the event stream).
    static func make(config: Config, hub: EventHub, clock: @escaping @Sendable () -> Date) -> MailAuthGate? {
        let settings = config.mailAuth
        guard settings.enabled else { return nil }
        guard let resolver = RouterCheck.resolver(config) else {
            hub.publish(.log(level: .error, message: "mailauth: no DNS resolver (set [dns] nameserver); SPF/DKIM/DMARC checks are off"))
            return nil
        }
        let suffixes: PublicSuffixList
        do {
            suffixes = try PublicSuffixList(contentsOf: settings.publicSuffixList)
        } catch {
            // Without the list every TLD is a public suffix: alignment stays safe for most names.
            hub.publish(.log(level: .warning, message: "mailauth: cannot read \(settings.publicSuffixList) (apt-get install publicsuffix); DMARC uses last-two-labels organisational domains"))
            suffixes = PublicSuffixList(text: "")
        }
        var policy = MailAuthPolicy()
        policy.dmarcReject = Self.action(settings.dmarcReject)
        policy.dmarcQuarantine = Self.action(settings.dmarcQuarantine)
        policy.spfFail = Self.action(settings.spfFail)
        policy.ownDomainForgery = Self.action(settings.ownDomainForgery)
        policy.tempfailOnDNSError = settings.tempfailOnDNSError
        policy.localDomains = Set(config.domains.map { $0.lowercased() })
        let authenticator = MailAuthenticator(resolver: CachingResolver(resolver: resolver, clock: clock), suffixes: suffixes,
                                              hostname: config.hostname, policy: policy)
        return MailAuthGate(authenticator: authenticator, trustedNetworks: settings.trustedNetworks)
    }

    static func action(_ action: MailAuthSettings.Action) -> MailAuthPolicy.Action {
        switch action {
        case .reject: .reject
        case .junk: .junk
        case .ignore: .ignore
        }
    }

    /// True when mail from `remoteAddress` is checked (it is not from a trusted network).
    public func applies(to remoteAddress: String) -> Bool {
        IPAddress(remoteAddress) != nil && !trusted.contains(remoteAddress)
    }

    /// What the checks decided: refuse, or accept with our header and the message cleaned of
    /// forged Authentication-Results fields, into Junk when `junkRule` is set.
    public enum Decision: Sendable {
        case accept(field: [UInt8], message: [UInt8], junkRule: String?, summary: String, outcome: CheckOutcome)
        case refuse(SMTPReply, rule: String, summary: String, outcome: CheckOutcome)
    }

    /// Runs the checks on `message` (as received, without our trace fields).
    public func decide(message: [UInt8], remoteAddress: String, helo: String, sender: String, now: Date) async -> Decision {
        let client = IPAddress(remoteAddress) ?? IPAddress(ipv4: 0)
        let report = await authenticator.check(MailAuthRequest(client: client, helo: helo, mailFrom: sender,
                                                               message: message, now: now))
        let summary = report.results.summary
        var outcome = Self.outcome(report.results)
        switch report.verdict {
        case .reject(let temporary, let rule, let text):
            let reply = temporary ? SMTPReply(451, "4.7.0", text) : SMTPReply(550, "5.7.1", text)
            return .refuse(reply, rule: rule, summary: summary, outcome: outcome)
        case .deliver(let junk, let rule):
            let cleaned = AuthenticationResults.removingForged(from: message, authservID: authenticator.hostname)
            outcome.junk = junk
            return .accept(field: Array(report.results.field.utf8), message: cleaned, junkRule: junk ? rule : nil, summary: summary,
                           outcome: outcome)
        }
    }

    /// The results as the console counts them.
    static func outcome(_ results: AuthenticationResults) -> CheckOutcome {
        let dkim = results.dkim.contains { $0.result == .pass } ? "pass" : results.dkim.first?.result.rawValue ?? "none"
        return CheckOutcome(spf: results.spf?.result.rawValue, dkim: dkim, dmarc: results.dmarc?.result.rawValue)
    }
}
