import FacteurCore
import Foundation
import Synchronization

/// The server's memory of its own activity for consoles, and the fan-out of live events to each
/// attached console. Subscribed to the event hub: per event it folds the event into the
/// activity, keeps it if it is worth a log line, and appends it to each console's bounded queue
/// — one lock, no I/O, no formatting: a slow or stopped console never slows delivery. A console
/// whose queue overflows loses its queue (counted) and gets a new snapshot instead.
public final class ActivityRecorder: Sendable {
    public enum Take: Sendable {
        case nothing
        case events([ServerEvent])
        /// The queue overflowed: this many events were dropped; start again from this snapshot.
        case resnapshot(dropped: Int, activity: ServerActivity, recent: [ServerEvent])
    }

    private struct Sink {
        var id: UInt64
        var queue: [ServerEvent] = []
        var dropped = 0
        var overflowed = false
        /// A flush is scheduled (or waits for the socket to drain): no further wake-up needed.
        var wakePending = false
        let wake: @Sendable () -> Void
    }

    private struct State {
        var activity: ServerActivity
        var recent = LogRing<ServerEvent>(capacity: ActivityLimits.recentLogEvents)
        var sinks: [Sink] = []
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>
    private let capacity: Int

    public init(startTime: Date, bans: [BanInfo], queueCapacity: Int = ControlLimits.consoleQueueEvents) {
        state = Mutex(State(activity: ServerActivity(startTime: startTime, bans: bans)))
        capacity = max(1, queueCapacity)
    }

    /// The hub subscriber. Called on the publishing thread.
    public func record(_ event: ServerEvent) {
        let wakes: [@Sendable () -> Void] = state.withLock { s in
            s.activity.apply(event)
            if EventLog.hasInfoLine(event) { s.recent.append(event) }
            var wakes: [@Sendable () -> Void] = []
            for i in s.sinks.indices {
                if s.sinks[i].overflowed {
                    s.sinks[i].dropped += 1
                } else {
                    s.sinks[i].queue.append(event)
                    if s.sinks[i].queue.count > capacity {
                        s.sinks[i].overflowed = true
                        s.sinks[i].dropped += s.sinks[i].queue.count
                        s.sinks[i].queue = []
                    }
                }
                if !s.sinks[i].wakePending {
                    s.sinks[i].wakePending = true
                    wakes.append(s.sinks[i].wake)
                }
            }
            return wakes
        }
        for w in wakes { w() }
    }

    /// A new console: its id and the snapshot its queue starts after (atomically).
    public func attach(wake: @escaping @Sendable () -> Void) -> (id: UInt64, activity: ServerActivity, recent: [ServerEvent]) {
        state.withLock { s in
            s.nextID += 1
            s.sinks.append(Sink(id: s.nextID, wake: wake))
            return (s.nextID, s.activity, s.recent.elements)
        }
    }

    public func detach(_ id: UInt64) {
        state.withLock { s in s.sinks.removeAll { $0.id == id } }
    }

    /// What is waiting for a console; the next event wakes it again.
    public func take(_ id: UInt64) -> Take {
        state.withLock { s in
            guard let i = s.sinks.firstIndex(where: { $0.id == id }) else { return .nothing }
            s.sinks[i].wakePending = false
            if s.sinks[i].overflowed {
                let dropped = s.sinks[i].dropped
                s.sinks[i].overflowed = false
                s.sinks[i].dropped = 0
                return .resnapshot(dropped: dropped, activity: s.activity, recent: s.recent.elements)
            }
            let q = s.sinks[i].queue
            s.sinks[i].queue = []
            return q.isEmpty ? .nothing : .events(q)
        }
    }

    /// Starts a console again from a snapshot (it asked: its own screen fell behind); what was
    /// queued for it is part of the snapshot.
    public func restart(_ id: UInt64) -> (activity: ServerActivity, recent: [ServerEvent])? {
        state.withLock { s in
            guard let i = s.sinks.firstIndex(where: { $0.id == id }) else { return nil }
            s.sinks[i].queue = []
            s.sinks[i].overflowed = false
            s.sinks[i].dropped = 0
            return (s.activity, s.recent.elements)
        }
    }

    /// The activity as it is now (for `facteur status`-like answers).
    public var activity: ServerActivity { state.withLock { $0.activity } }
}
