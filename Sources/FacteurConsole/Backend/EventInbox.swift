import Foundation
import FacteurCore
import Synchronization

/// Where the backend's reader leaves what the server sent for the UI thread: snapshots, events,
/// drop notices, and the end of the connection. Bounded: when the UI falls behind, the oldest
/// events are dropped and counted (the console then asks for a new snapshot); `post` never
/// blocks on the UI (one short lock).
///
/// Wake-ups are rationed: `post` calls `wake` (the console writes a byte to its self-pipe) only
/// when the UI has said it is waiting (`arm`), and then once. Under a flood of events the UI
/// drains at its own frame rate.
public final class EventInbox: Sendable {
    /// What one drain hands the UI.
    public struct Batch: Sendable {
        /// A snapshot to start again from; `events` came after it.
        public var snapshot: ControlSnapshot?
        public var events: [ServerEvent] = []
        /// Events this inbox dropped (the UI was too slow): the model is stale, re-snapshot.
        public var droppedHere = 0
        /// Events the server dropped for this console (it sends a new snapshot itself).
        public var droppedByServer = 0
        /// Why the connection to the server ended, once it has.
        public var disconnected: String?
        public var isEmpty: Bool { snapshot == nil && events.isEmpty && droppedHere == 0 && droppedByServer == 0 && disconnected == nil }
    }

    private struct State {
        var batch = Batch()
        var head = 0
        var closed = false
        var armed = true
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let wake: @Sendable () -> Void

    public init(capacity: Int = ConsoleLimits.pendingEvents, wake: @escaping @Sendable () -> Void = {}) {
        self.capacity = max(1, capacity)
        self.wake = wake
    }

    /// Called from any thread.
    public func post(_ event: ServerEvent) { post(.events([event])) }

    /// Called from any thread.
    public func post(_ feed: ConsoleFeed) {
        let wakeNow: Bool = state.withLock { s in
            if s.closed { return false }
            switch feed {
            case let .snapshot(snap):
                // Everything older is part of the snapshot.
                s.batch.snapshot = snap
                s.batch.events.removeAll(keepingCapacity: true); s.head = 0
            case let .events(events):
                s.batch.events += events
                let over = s.batch.events.count - s.head - capacity
                if over > 0 { s.head += over; s.batch.droppedHere += over }
                // Compact now and then so the array does not grow without bound.
                if s.head > capacity { s.batch.events.removeFirst(s.head); s.head = 0 }
            case let .dropped(n):
                s.batch.droppedByServer += n
            case let .disconnected(why):
                s.batch.disconnected = why
            }
            defer { s.armed = false }
            return s.armed
        }
        if wakeNow { wake() }
    }

    /// The UI is about to sleep: the next `post` wakes it. Returns true when something is already
    /// waiting (then the UI should not sleep).
    public func arm() -> Bool {
        state.withLock { s in
            var pending = s.batch
            pending.events = s.head < s.batch.events.count ? [s.batch.events[s.head]] : []
            if !pending.isEmpty { return true }
            s.armed = true
            return false
        }
    }

    /// Takes everything waiting.
    public func drainBatch() -> Batch {
        state.withLock { s in
            var out = s.batch
            out.events = Array(s.batch.events[s.head...])
            s.batch = Batch()
            s.head = 0
            return out
        }
    }

    /// Takes the events waiting, oldest first, and how many were dropped since the last drain.
    public func drain() -> (events: [ServerEvent], dropped: Int) {
        let b = drainBatch()
        return (b.events, b.droppedHere + b.droppedByServer)
    }

    /// Later posts are ignored (the console has exited).
    public func close() { state.withLock { $0.closed = true } }
}
