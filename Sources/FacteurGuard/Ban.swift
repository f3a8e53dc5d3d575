import Foundation
import FacteurNet

/// One banned network with the evidence that got it banned. The lead persists these values
/// (Codable) and hands them back with `Guard.load(bans:offences:now:)` after a restart.
public struct Ban: Sendable, Codable, Equatable, Hashable {
    public enum Source: String, Sendable, Codable, Hashable {
        case automatic, manual
    }

    /// The banned address (a /32 or /128 for automatic bans) or network.
    public var network: IPNetwork
    public var rule: GuardRule
    /// Human sentence: "5 different wrong passwords within 15 minutes".
    public var reason: String
    /// The offending transcript lines, oldest first, each prefixed with time and session.
    public var evidence: [String]
    public var source: Source
    public var created: Date
    /// When the ban ends; nil for a permanent ban.
    public var expires: Date?
    /// Connections refused because of this ban.
    public var hits: Int
    /// 1 for a first ban, 2 for a repeat offender's second, …; picks the escalation step.
    public var offenceCount: Int

    public init(network: IPNetwork, rule: GuardRule, reason: String, evidence: [String], source: Source,
                created: Date, expires: Date?, hits: Int = 0, offenceCount: Int = 1) {
        self.network = network
        self.rule = rule
        self.reason = reason
        self.evidence = evidence
        self.source = source
        self.created = created
        self.expires = expires
        self.hits = hits
        self.offenceCount = offenceCount
    }

    public var isPermanent: Bool { expires == nil }

    /// A ban is in force from its creation until the second it expires: at `expires` itself
    /// the address is admitted again.
    public func isActive(at now: Date) -> Bool {
        guard let expires else { return true }
        return now < expires
    }
}

/// What the guard remembers of a network's past bans, for escalation. Persist it beside the
/// bans if repeat offenders should still escalate after a restart.
public struct OffenceRecord: Sendable, Codable, Equatable, Hashable {
    public var network: IPNetwork
    /// How many automatic bans this network has had in a row.
    public var offenceCount: Int
    /// When its last ban ended (or will end); `escalationMemory` runs from here.
    public var lastBanEnd: Date

    public init(network: IPNetwork, offenceCount: Int, lastBanEnd: Date) {
        self.network = network
        self.offenceCount = offenceCount
        self.lastBanEnd = lastBanEnd
    }
}
