import Foundation
import FacteurCore

/// Everything the console knows about the server, as a value. The UI thread owns one copy: it
/// starts from the server's snapshot and folds live events into it with `apply`; views read it.
public struct ConsoleModel: Sendable {
    /// The server's activity, folded exactly as the server folds it.
    public var activity: ServerActivity
    public var listeners: [ListenerStatus] = []
    public private(set) var log = LogRing<LogLine>(capacity: ConsoleLimits.logLines)
    /// Address → country code as the backend answered (bounded cache).
    public private(set) var countries: [String: String] = [:]
    /// Events the server dropped for this console (it was too slow) since it attached.
    public var droppedEvents = 0
    /// Which server this is and how the console is tied to it; nil before the backend said.
    public var attachment: ConsoleAttachment?

    public init(startTime: Date) { activity = ServerActivity(startTime: startTime) }

    public init(snapshot: ServerActivity) { activity = snapshot }

    public var startTime: Date { activity.startTime }
    public var connections: [ConnectionID: LiveConnection] { activity.connections }
    /// Newest first.
    public var rejections: [RejectionEntry] { activity.rejections }
    public var counters: ActivityCounters { activity.counters }
    public var history: MinuteHistory { activity.history }
    public var bans: [String: BanInfo] { activity.bans }
    public var storage: StorageStatus? { activity.storage }

    /// Folds one server event into the model.
    public mutating func apply(_ event: ServerEvent) {
        switch event.kind {
        case let .listenerStarted(service, address, tls):
            upsertListener(ListenerStatus(service: service, address: address, tls: tls, error: nil))
        case let .listenerFailed(service, address, error):
            let tls = listeners.first(where: { $0.service == service && $0.address == address })?.tls ?? false
            upsertListener(ListenerStatus(service: service, address: address, tls: tls, error: error))
        case let .log(level, message):
            appendLog(LogLine(time: event.time, level: level, message: message))
        default:
            activity.apply(event)
        }
    }

    public mutating func appendLog(_ line: LogLine) { log.append(line) }

    public mutating func clearLog() { log = LogRing<LogLine>(capacity: ConsoleLimits.logLines) }

    /// Starts again from a new snapshot (after attaching, or after events were dropped); the log,
    /// the listeners and the country cache are kept.
    public mutating func replaceActivity(_ snapshot: ServerActivity) { activity = snapshot }

    /// Replaces the ban list with the backend's (it also knows hit counts).
    public mutating func replaceBans(_ list: [BanInfo]) { activity.replaceBans(list) }

    /// Replaces listeners with the backend's list (events that arrive later still patch it).
    public mutating func replaceListeners(_ list: [ListenerStatus]) { listeners = list }

    public mutating func noteCountry(_ country: String, for address: String) {
        if countries.count >= ConsoleLimits.countryCache { countries.removeAll(keepingCapacity: true) }
        countries[address] = country
    }

    public func country(of address: String) -> String? { countries[address] }

    /// Bans that are still in force at `now` (expired ones linger until the server lifts them).
    public func activeBans(at now: Date) -> [BanInfo] { activity.activeBans(at: now) }

    private mutating func upsertListener(_ l: ListenerStatus) {
        if let i = listeners.firstIndex(where: { $0.service == l.service && $0.address == l.address }) {
            listeners[i] = l
        } else {
            listeners.append(l)
        }
    }
}
