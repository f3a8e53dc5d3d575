import FacteurNet
import FacteurCore
import FacteurDNS
import FacteurMailAuth
import FacteurStore
import Foundation

/// Greylisting at the end of DATA (`[greylist]`): the triplets of a message are looked up and
/// updated in SQLite; one deferred triplet defers the message with 451 4.7.1.
public final class GreylistGate: Sendable {
    let greylist: Greylist
    let store: GreylistStore
    let exempt: AddressRanges

    init(greylist: Greylist, store: GreylistStore, exemptNetworks: [String]) {
        self.greylist = greylist
        self.store = store
        self.exempt = AddressRanges(exemptNetworks)
    }

    /// nil when greylisting is off. Never for never_ban and allow networks (configured or added by the admin).
    static func make(config: Config, database: FacteurDatabase) -> GreylistGate? {
        guard config.greylist.enabled else { return nil }
        let exempt = config.guardSettings.neverBan + config.guardSettings.allow + config.smtpListen.allow
            + ((try? database.allowedNetworks()) ?? [])
        return GreylistGate(greylist: Greylist(delay: config.greylist.delay, memory: config.greylist.memory),
                            store: GreylistStore(database: database), exemptNetworks: exempt)
    }

    public func applies(to remoteAddress: String) -> Bool {
        IPAddress(remoteAddress) != nil && !exempt.contains(remoteAddress)
    }

    /// The 451 reply when the message must wait, nil when it passes. A store error lets the
    /// message through (greylisting is a filter, never a reason to lose mail).
    public func check(remoteAddress: String, sender: String, recipients: [String], now: Date) -> SMTPReply? {
        guard let client = IPAddress(remoteAddress) else { return nil }
        var wait: TimeInterval = 0
        let greylist = self.greylist
        for recipient in recipients {
            let triplet = Greylist.Triplet(client: client, sender: sender, recipient: recipient)
            let decision = try? store.update(network: triplet.network, sender: triplet.sender, recipient: triplet.recipient) { row in
                let entry = row.map { Greylist.Entry(firstSeen: $0.firstSeen, lastSeen: $0.lastSeen, passed: $0.passed) }
                let (decision, next) = greylist.decide(entry, now: now)
                return (decision, GreylistStore.Row(firstSeen: next.firstSeen, lastSeen: next.lastSeen, passed: next.passed))
            }
            if case .deferred(let retryAfter) = decision { wait = max(wait, retryAfter) }
        }
        guard wait > 0 else { return nil }
        return SMTPReply(451, "4.7.1", "Greylisted: please try again in \(Int(wait.rounded(.up))) seconds")
    }
}
