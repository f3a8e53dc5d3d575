import Foundation

/// What a server has done since it started, folded from its event stream: open connections,
/// counters, the per-minute history, recent rejections and the bans in force. The server keeps
/// one (a console attaching later receives it as its snapshot); each console keeps its own copy
/// and folds the live events into it with the same `apply`, so both always agree.
public struct ServerActivity: Sendable, Codable {
    public var startTime: Date
    /// Open connections by id.
    public private(set) var connections: [ConnectionID: LiveConnection] = [:]
    /// Newest first.
    public private(set) var rejections: [RejectionEntry] = []
    public var counters = ActivityCounters()
    public var history = MinuteHistory()
    /// Current bans by network; patched by events, replaced wholesale by a fresh list.
    public private(set) var bans: [String: BanInfo] = [:]
    /// Free space of the data folder, and whether it is full (the server's last report).
    public private(set) var storage: StorageStatus?

    public init(startTime: Date, bans: [BanInfo] = []) {
        self.startTime = startTime
        replaceBans(bans)
    }

    private enum CodingKeys: String, CodingKey {
        case startTime, connections, rejections, counters, history, bans, storage
    }

    /// The bans travel as one compact table (`BanTable`), the rest as synthesised JSON.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        startTime = try c.decode(Date.self, forKey: .startTime)
        connections = try c.decode([ConnectionID: LiveConnection].self, forKey: .connections)
        rejections = try c.decode([RejectionEntry].self, forKey: .rejections)
        counters = try c.decode(ActivityCounters.self, forKey: .counters)
        history = try c.decode(MinuteHistory.self, forKey: .history)
        storage = try c.decodeIfPresent(StorageStatus.self, forKey: .storage)
        let table = try c.decode(Data.self, forKey: .bans)
        do {
            replaceBans(try BanTable.decode(Array(table)))
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .bans, in: c, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(startTime, forKey: .startTime)
        try c.encode(connections, forKey: .connections)
        try c.encode(rejections, forKey: .rejections)
        try c.encode(counters, forKey: .counters)
        try c.encode(history, forKey: .history)
        try c.encodeIfPresent(storage, forKey: .storage)
        try c.encode(Data(BanTable.encode(Array(bans.values))), forKey: .bans)
    }

    /// Folds one server event in. Events that say nothing about activity are ignored.
    public mutating func apply(_ event: ServerEvent) {
        switch event.kind {
        case let .connectionOpened(info):
            counters.connections += 1
            history.countConnection(at: event.time)
            connections[info.id] = LiveConnection(info: info)
            if connections.count > ActivityLimits.connectionRows, let oldest = connections.values.min(by: { $0.info.opened < $1.info.opened }) {
                connections[oldest.info.id] = nil
            }
        case let .connectionUpdated(id, user, state, bytesIn, bytesOut):
            guard var c = connections[id] else { return }
            if let user { c.user = user }
            c.state = state; c.bytesIn = bytesIn; c.bytesOut = bytesOut
            connections[id] = c
        case let .connectionClosed(id, _, _):
            connections[id] = nil
        case let .command(id, _, _, verb, _):
            connections[id]?.state = verb
        case let .rejected(r):
            counters.rejections += 1
            counters.checks.countRejection(rule: r.rule)
            if let c = r.checks { counters.checks.count(c, delivered: false) }
            history.countRejection(at: event.time)
            addRejection(r, at: event.time)
        case let .delivered(d):
            counters.deliveries += 1
            if let c = d.checks { counters.checks.count(c, delivered: true) }
        case let .authSucceeded(id, _, _, user):
            connections[id]?.user = user
        case let .authFailed(id, _, _, user, _):
            counters.authFailures += 1
            if connections[id]?.user == nil { connections[id]?.user = user }
        case let .banned(ban):
            counters.bans += 1
            bans[ban.network] = ban
        case let .unbanned(network, _):
            bans[network] = nil
        case let .storage(status):
            storage = status
        default:
            break
        }
    }

    /// Replaces the ban list (a fresh list also knows hit counts).
    public mutating func replaceBans(_ list: [BanInfo]) {
        bans = Dictionary(list.map { ($0.network, $0) }, uniquingKeysWith: { _, b in b })
    }

    /// Bans that are still in force at `now` (expired ones linger until the server lifts them).
    public func activeBans(at now: Date) -> [BanInfo] {
        bans.values.filter { ($0.expires ?? .distantFuture) > now }
    }

    private mutating func addRejection(_ r: Rejection, at time: Date) {
        var entry = RejectionEntry(rejection: r, firstSeen: time, lastSeen: time, count: 1)
        if let i = rejections.firstIndex(where: { $0.foldKey == entry.foldKey }) {
            let old = rejections.remove(at: i)
            entry.firstSeen = old.firstSeen
            entry.count = old.count + 1
            // Keep what was known before when the new one lacks it.
            entry.rejection.sender = r.sender ?? old.rejection.sender
            entry.rejection.recipient = r.recipient ?? old.rejection.recipient
            entry.rejection.user = r.user ?? old.rejection.user
        }
        rejections.insert(entry, at: 0)
        if rejections.count > ActivityLimits.rejectionRows { rejections.removeLast(rejections.count - ActivityLimits.rejectionRows) }
    }
}
