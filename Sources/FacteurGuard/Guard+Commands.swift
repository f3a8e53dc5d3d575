import Foundation
import FacteurNet

// The administrator's commands, expiry and restart.

extension Guard {
    /// Bans `network` by hand for `duration` (default: the policy's `banDuration`), or for
    /// ever when `permanent`. Replaces a ban of the same network, keeping its hit count.
    /// Throws `.protectedNetwork` when the network lies inside a never-ban network.
    @discardableResult
    public mutating func ban(network: IPNetwork, duration: TimeInterval? = nil, permanent: Bool = false,
                             reason: String, evidence: [String] = [], now: Date) throws(GuardError) -> Ban {
        if neverBan.matches(for: network.address).contains(where: { $0.network.contains(network) }) {
            throw .protectedNetwork(network)
        }
        let expires = permanent ? nil : now.addingTimeInterval(duration ?? policy.banDuration)
        let previous = banTable[network]
        let ban = Ban(network: network, rule: .manual, reason: reason,
                      evidence: Array(evidence.suffix(GuardLimits.maxEvidenceLines)), source: .manual,
                      created: now, expires: expires, hits: previous?.hits ?? 0,
                      offenceCount: previous?.offenceCount ?? 1)
        banTable[network] = ban
        return ban
    }

    /// Lifts the ban of exactly `network` and forgets its escalation history.
    @discardableResult
    public mutating func unban(network: IPNetwork) throws(GuardError) -> Ban {
        guard let ban = banTable.removeValue(for: network) else { throw .noSuchBan(network) }
        history[network] = nil
        return ban
    }

    /// Lifts every ban covering `address` (for "unban this client" in the console).
    public mutating func unban(covering address: IPAddress) -> [Ban] {
        let lifted = banTable.matches(for: address).map(\.value)
        for ban in lifted {
            banTable.removeValue(for: ban.network)
            history[ban.network] = nil
        }
        return lifted
    }

    /// Adds `seconds` to a ban's end (counted from `now` if it has already ended).
    /// A permanent ban stays permanent.
    @discardableResult
    public mutating func extend(network: IPNetwork, by seconds: TimeInterval, now: Date) throws(GuardError) -> Ban {
        guard var ban = banTable[network] else { throw .noSuchBan(network) }
        if let expires = ban.expires {
            ban.expires = max(expires, now).addingTimeInterval(seconds)
        }
        banTable[network] = ban
        return ban
    }

    @discardableResult
    public mutating func makePermanent(network: IPNetwork) throws(GuardError) -> Ban {
        guard var ban = banTable[network] else { throw .noSuchBan(network) }
        ban.expires = nil
        banTable[network] = ban
        return ban
    }

    /// Removes the bans whose end has come (`expires <= now`, to the second) and returns them;
    /// also forgets counters and escalation history that can no longer matter.
    public mutating func expire(now: Date) -> [Ban] {
        let ended = banTable.entries.map(\.value).filter { !$0.isActive(at: now) }
        for ban in ended { banTable.removeValue(for: ban.network) }

        let triggers = policy.triggers
        let longestWindow = [triggers.relayAttempt, triggers.unknownRecipient, triggers.badCommand,
                             triggers.prematureTalk, triggers.overlongLine, triggers.smuggling,
                             triggers.authFailure].map(\.window).max() ?? 0
        let horizon = max(longestWindow, triggers.connectionRate.window)
        offenders = offenders.filter { now.timeIntervalSince($0.value.lastActivity) < horizon }
        history = history.filter { now.timeIntervalSince($0.value.lastBanEnd) < policy.escalationMemory }
        return ended.sorted { ($0.expires ?? now, $0.network.address) < ($1.expires ?? now, $1.network.address) }
    }

    /// Adds a never-ban network and lifts the bans that lie inside it.
    public mutating func addNeverBan(_ network: IPNetwork) -> [Ban] {
        if !policy.neverBan.contains(network) { policy.neverBan.append(network) }
        neverBan[network] = true
        return liftBans(within: [network])
    }

    public mutating func removeNeverBan(_ network: IPNetwork) {
        policy.neverBan.removeAll { $0 == network }
        neverBan.removeValue(for: network)
    }

    /// Replaces the policy (after a configuration reload). Bans and counters stay; bans inside
    /// the never-ban networks are lifted and returned.
    public mutating func apply(policy newPolicy: GuardPolicy) -> [Ban] {
        policy = newPolicy
        compile()
        return liftBans(within: newPolicy.neverBan)
    }

    /// Restores persisted state after a restart. Bans keep their absolute end, so the time
    /// left is what it was; those that ended while the server was down are not loaded and are
    /// returned, for the caller to delete. `offences` restores the escalation memory.
    public mutating func load(bans: [Ban], offences: [OffenceRecord] = [], now: Date) -> [Ban] {
        banTable.removeAll()
        history = [:]
        for record in offences { history[record.network] = record }
        var ended: [Ban] = []
        for ban in bans {
            guard ban.isActive(at: now) else {
                ended.append(ban)
                continue
            }
            banTable[ban.network] = ban
            if ban.source == .automatic, (history[ban.network]?.offenceCount ?? 0) < ban.offenceCount {
                history[ban.network] = OffenceRecord(network: ban.network, offenceCount: ban.offenceCount,
                                                     lastBanEnd: ban.expires ?? ban.created)
            }
        }
        return ended
    }

    private mutating func liftBans(within networks: [IPNetwork]) -> [Ban] {
        var lifted: [Ban] = []
        for network in networks {
            for (banned, ban) in banTable.entries(within: network) {
                banTable.removeValue(for: banned)
                history[banned] = nil
                lifted.append(ban)
            }
        }
        return lifted
    }
}
