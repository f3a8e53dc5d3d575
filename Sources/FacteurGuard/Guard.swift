import Foundation
import FacteurNet

/// The guard: decides who may connect and bans addresses that misbehave.
///
/// A plain value with no clock, socket or storage: every method takes `now`, and what must
/// happen outside (persist a ban, delete one, close sessions) comes back as `GuardAction`s or
/// inside an `Admission`. The lead keeps one `Guard` per server, behind an actor or a lock.
///
/// The life of a connection:
/// 1. `admit(address:service:now:country:)` when it opens. `.allow` counts it as open.
/// 2. `record(_:address:service:sessionID:evidence:now:)` for every offence or login.
/// 3. `disconnect(address:service:sessionID:)` when it closes (allowed connections only).
/// And `expire(now:)` every few seconds, which also forgets stale counters.
public struct Guard: Sendable {
    public internal(set) var policy: GuardPolicy

    var neverBan = NetworkSet<Bool>()
    var access = PerService { _ in CompiledAccess([]) }
    var limits = PerService { _ in ConnectionLimits() }
    var banTable = NetworkSet<Ban>()
    var history: [IPNetwork: OffenceRecord] = [:]
    var sessions: [UInt64: SessionCounters] = [:]
    var offenders: [IPNetwork: OffenderCounters] = [:]
    var open = PerService { _ in OpenConnections() }
    /// `GuardLimits.maxTrackedOffenders`, lowered by tests.
    var offenderLimit = GuardLimits.maxTrackedOffenders

    public init(policy: GuardPolicy = GuardPolicy()) {
        self.policy = policy
        compile()
    }

    /// Rebuilds the lookup tables from `policy`.
    mutating func compile() {
        neverBan = NetworkSet(policy.neverBan.map { ($0, true) })
        access = PerService { [policy] service in
            CompiledAccess([policy.access] + (policy.serviceAccess[service].map { [$0] } ?? []))
        }
        limits = PerService { [policy] service in policy.connectionLimits[service] ?? ConnectionLimits() }
    }

    // MARK: Queries

    /// Every ban, oldest first (expired ones included until `expire(now:)` removes them).
    public var bans: [Ban] {
        banTable.entries.map(\.value).sorted { ($0.created, $0.network.address) < ($1.created, $1.network.address) }
    }

    /// How many bans are held.
    public var banCount: Int { banTable.count }

    /// The ban stored for exactly `network`.
    public func ban(for network: IPNetwork) -> Ban? {
        banTable[network]
    }

    /// The most specific ban in force covering `address` at `now`.
    public func activeBan(covering address: IPAddress, now: Date) -> Ban? {
        guard let (_, longest) = banTable.longestMatch(for: address) else { return nil }
        if longest.isActive(at: now) { return longest }
        // The most specific ban has ended but `expire` has not run yet: a wider one may stand.
        return banTable.matches(for: address).reversed().first { $0.value.isActive(at: now) }?.value
    }

    /// True when `address` is in the never-ban list.
    public func isNeverBanned(_ address: IPAddress) -> Bool {
        neverBan.contains(address)
    }

    /// The escalation memory, for persistence beside the bans.
    public var offenceRecords: [OffenceRecord] {
        history.values.sorted { ($0.lastBanEnd, $0.network.address) < ($1.lastBanEnd, $1.network.address) }
    }

    /// Connections currently counted as open for `service`.
    public func openConnections(_ service: GuardService) -> Int {
        open[service].total
    }

    /// Changes the counters of `key` in place (creating them), marking them active at `now`.
    /// When `GuardLimits.maxTrackedOffenders` are already tracked, a new offender is counted
    /// for this event only: a flood from countless addresses cannot grow memory without bound
    /// (the total connection limits still hold it), and `expire` frees stale entries.
    mutating func updateOffender<Result>(_ key: IPNetwork, now: Date, _ body: (inout OffenderCounters) -> Result) -> Result {
        if offenders[key] == nil, offenders.count >= offenderLimit {
            var transient = OffenderCounters(now: now)
            return body(&transient)
        }
        offenders[key, default: OffenderCounters(now: now)].lastActivity = now
        return body(&offenders[key, default: OffenderCounters(now: now)])
    }

    /// The network an automatic ban of `address` covers, and its offences are counted under.
    func offenderNetwork(_ address: IPAddress) -> IPNetwork {
        if address.isIPv4 { return IPNetwork(host: address) }
        return IPNetwork(address: address, length128: min(max(policy.ipv6BanPrefixLength, 1), 128))
    }
}
