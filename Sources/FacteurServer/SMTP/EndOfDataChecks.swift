import FacteurCore
import Foundation

/// The checks a message goes through after its last octet and before the 250, in order:
/// greylisting, SPF/DKIM/DMARC, rspamd. Each is optional and may not apply to the client.
struct EndOfDataChecks: Sendable {
    let greylist: GreylistGate?
    let mailAuth: MailAuthGate?
    let spam: SpamGate?

    /// The gates of `server` that apply to mail from `remoteAddress`; nil when none does.
    init?(_ server: ServerContext, remoteAddress: String) {
        greylist = server.greylist.flatMap { $0.applies(to: remoteAddress) ? $0 : nil }
        mailAuth = server.mailAuth.flatMap { $0.applies(to: remoteAddress) ? $0 : nil }
        spam = server.spam.flatMap { $0.applies(to: remoteAddress) ? $0 : nil }
        if greylist == nil && mailAuth == nil && spam == nil { return nil }
    }

    enum Decision: Sendable {
        /// Store `message` (our header fields, the trace fields, the message), into Junk when `junkRule` is set.
        case deliver(message: [UInt8], junkRule: String?, summary: String, checks: CheckOutcome)
        case refuse(SMTPReply, rule: String, summary: String, checks: CheckOutcome?)
    }

    func run(message: [UInt8], env: MessageEnvelope, remoteAddress: String, helo: String, now: Date) async -> Decision {
        if let greylist, let reply = greylist.check(remoteAddress: remoteAddress, sender: env.sender,
                                                    recipients: env.recipients, now: now) {
            return .refuse(reply, rule: CheckCounters.greylistRule, summary: "first attempt of this sender", checks: nil)
        }
        var checks = CheckOutcome()
        var fields: [UInt8] = []
        var body = message
        var junkRule: String?
        var summaries: [String] = []
        if let mailAuth {
            switch await mailAuth.decide(message: message, remoteAddress: remoteAddress, helo: helo, sender: env.sender, now: now) {
            case .refuse(let reply, let rule, let summary, let outcome):
                return .refuse(reply, rule: rule, summary: summary, checks: outcome)
            case .accept(let field, let cleaned, let rule, let summary, let outcome):
                checks = outcome
                fields = field
                body = cleaned
                junkRule = rule
                summaries.append(summary)
            }
        }
        if let spam {
            switch await spam.check(message, remoteAddress: remoteAddress, helo: helo, env: env) {
            case .refuse(let reply, let summary):
                return .refuse(reply, rule: CheckCounters.spamRule, summary: summary, checks: mailAuth == nil ? nil : checks)
            case .accept(let spamFields, let junk, let summary):
                fields = spamFields + fields
                if junk { junkRule = junkRule ?? "spam" }
                summaries.append(summary)
            }
        }
        checks.junk = junkRule != nil
        return .deliver(message: fields + env.traceHeaders + body, junkRule: junkRule, summary: summaries.joined(separator: "; "),
                        checks: checks)
    }
}
