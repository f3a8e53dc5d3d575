import Foundation
import FacteurCore

/// Everything the console knows about the server, as a value. The UI thread owns one copy and
/// folds server events into it with `apply`; views read it.
public struct ConsoleModel: Sendable {
    public var startTime: Date
    public var listeners: [ListenerStatus] = []
    /// Open connections by id.
    public private(set) var connections: [ConnectionID: LiveConnection] = [:]
    /// Newest first.
    public private(set) var rejections: [RejectionEntry] = []
    public var counters = ConsoleCounters()
    public var history = MinuteHistory()
    public private(set) var log = LogRing<LogLine>(capacity: ConsoleLimits.logLines)
    /// Current bans by network; replaced wholesale by a backend refresh, patched by events.
    public private(set) var bans: [String: BanInfo] = [:]
    /// Address → country code as the backend answered (bounded cache).
    public private(set) var countries: [String: String] = [:]
    /// Free space of the data folder, and whether it is full (the server's last report).
    public private(set) var storage: StorageStatus?
    /// Events lost because the UI fell behind.
    public var droppedEvents = 0

    public init(startTime: Date) { self.startTime = startTime }

    /// Folds one server event into the model.
    public mutating func apply(_ event: ServerEvent) {
        switch event.kind {
        case let .listenerStarted(service, address, tls):
            upsertListener(ListenerStatus(service: service, address: address, tls: tls, error: nil))
        case let .listenerFailed(service, address, error):
            let tls = listeners.first(where: { $0.service == service && $0.address == address })?.tls ?? false
            upsertListener(ListenerStatus(service: service, address: address, tls: tls, error: error))
        case let .connectionOpened(info):
            counters.connections += 1
            history.countConnection(at: event.time)
            connections[info.id] = LiveConnection(info: info)
            if connections.count > ConsoleLimits.connectionRows, let oldest = connections.values.min(by: { $0.info.opened < $1.info.opened }) {
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
            history.countRejection(at: event.time)
            addRejection(r, at: event.time)
        case .delivered:
            counters.deliveries += 1
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
        case let .log(level, message):
            log.append(LogLine(time: event.time, level: level, message: message))
        case let .storage(status):
            storage = status
        }
    }

    /// Replaces the ban list with the backend's (it also knows hit counts).
    public mutating func replaceBans(_ list: [BanInfo]) {
        bans = Dictionary(list.map { ($0.network, $0) }, uniquingKeysWith: { _, b in b })
    }

    /// Replaces listeners with the backend's list (events that arrive later still patch it).
    public mutating func replaceListeners(_ list: [ListenerStatus]) { listeners = list }

    public mutating func noteCountry(_ country: String, for address: String) {
        if countries.count >= ConsoleLimits.countryCache { countries.removeAll(keepingCapacity: true) }
        countries[address] = country
    }

    public func country(of address: String) -> String? { countries[address] }

    /// Bans that are still in force at `now` (expired ones linger until the server lifts them).
    public func activeBans(at now: Date) -> [BanInfo] {
        bans.values.filter { ($0.expires ?? .distantFuture) > now }
    }

    private mutating func upsertListener(_ l: ListenerStatus) {
        if let i = listeners.firstIndex(where: { $0.service == l.service && $0.address == l.address }) {
            listeners[i] = l
        } else {
            listeners.append(l)
        }
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
        if rejections.count > ConsoleLimits.rejectionRows { rejections.removeLast(rejections.count - ConsoleLimits.rejectionRows) }
    }
}
