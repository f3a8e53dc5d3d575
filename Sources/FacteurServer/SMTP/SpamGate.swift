import FacteurNet
import FacteurCore
import FacteurDNS
import FacteurMailAuth
import FacteurStore
import Foundation

/// rspamd scoring at the end of DATA (`[spam] rspamd`): its action decides between 550, 451,
/// Junk and the INBOX; the score is recorded in headers.
public final class SpamGate: Sendable {
    let client: RspamdClient
    let tempfailWhenUnreachable: Bool
    let hostname: String
    let trusted: AddressRanges

    init(client: RspamdClient, tempfailWhenUnreachable: Bool, hostname: String, trusted: [String]) {
        self.client = client
        self.tempfailWhenUnreachable = tempfailWhenUnreachable
        self.hostname = hostname
        self.trusted = AddressRanges(trusted)
    }

    static func make(config: Config, hub: EventHub) -> SpamGate? {
        guard let text = config.spam.rspamd else { return nil }
        guard let address = SocketAddressText(text, defaultPort: 11333) else {
            hub.publish(.log(level: .error, message: "spam: [spam] rspamd = \"\(text)\" is not an address:port; scoring is off"))
            return nil
        }
        let client = RspamdClient(server: address, timeout: .milliseconds(Int64(config.spam.timeout * 1000)))
        return SpamGate(client: client, tempfailWhenUnreachable: config.spam.tempfailWhenUnreachable,
                        hostname: config.hostname, trusted: config.mailAuth.trustedNetworks)
    }

    public func applies(to remoteAddress: String) -> Bool { !trusted.contains(remoteAddress) }

    enum Outcome: Sendable {
        case refuse(SMTPReply, summary: String)
        /// Header fields to prepend; `junk` when rspamd wants the message marked as spam.
        case accept(fields: [UInt8], junk: Bool, summary: String)
    }

    func check(_ message: [UInt8], remoteAddress: String, helo: String, env: MessageEnvelope) async -> Outcome {
        let envelope = RspamdProtocol.Envelope(client: remoteAddress, helo: helo, mailFrom: env.sender, recipients: env.recipients,
                                               queueID: env.id, hostname: hostname)
        switch await client.check(message, envelope: envelope) {
        case .failure(let failure):
            if tempfailWhenUnreachable {
                return .refuse(SMTPReply(451, "4.7.1", "Spam filter unavailable, try again later"), summary: "\(failure)")
            }
            return .accept(fields: Array("X-Spam-Checker: \(hostname); not scanned (\(failure))\r\n".utf8), junk: false,
                           summary: "\(failure)")
        case .success(let verdict):
            let score = String(format: "%.2f / %.2f", verdict.score, verdict.requiredScore)
            let summary = "rspamd \(verdict.action.rawValue), score \(score)"
            switch verdict.action {
            case .reject:
                return .refuse(SMTPReply(550, "5.7.1", "Message refused as spam (score \(score))"), summary: summary)
            case .softReject, .greylist:
                return .refuse(SMTPReply(451, "4.7.1", "Message deferred by the spam filter, try again later"), summary: summary)
            case .addHeader, .rewriteSubject:
                return .accept(fields: Array("X-Spam: Yes\r\nX-Spam-Score: \(score) (\(hostname); rspamd: \(verdict.action.rawValue))\r\n".utf8),
                               junk: true, summary: summary)
            case .noAction:
                return .accept(fields: Array("X-Spam-Score: \(score) (\(hostname); rspamd: no action)\r\n".utf8), junk: false,
                               summary: summary)
            }
        }
    }
}
