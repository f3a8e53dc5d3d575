import Foundation
import FacteurCore
import Synchronization

/// Where the server's threads leave events for the UI thread. Bounded: when the UI falls behind,
/// the oldest events are dropped and counted; `post` never blocks on the UI (one short lock).
///
/// Wake-ups are rationed: `post` calls `wake` (the console writes a byte to its self-pipe) only
/// when the UI has said it is waiting for events (`arm`), and then once. Under a flood of events
/// the UI drains at its own frame rate and the server's threads pay a lock and an append per
/// event, not a system call and a context switch.
public final class EventInbox: Sendable {
    private struct State {
        var events: [ServerEvent] = []
        var head = 0
        var dropped = 0
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
    public func post(_ event: ServerEvent) {
        let wakeNow: Bool = state.withLock { s in
            if s.closed { return false }
            s.events.append(event)
            if s.events.count - s.head > capacity {
                s.head += 1
                s.dropped += 1
            }
            // Compact now and then so the array does not grow without bound.
            if s.head > capacity { s.events.removeFirst(s.head); s.head = 0 }
            defer { s.armed = false }
            return s.armed
        }
        if wakeNow { wake() }
    }

    /// The UI is about to sleep: the next `post` wakes it. Returns true when events are already
    /// waiting (then the UI should not sleep).
    public func arm() -> Bool {
        state.withLock { s in
            if s.events.count > s.head || s.dropped > 0 { return true }
            s.armed = true
            return false
        }
    }

    /// Takes everything waiting, oldest first, and how many were dropped since the last drain.
    public func drain() -> (events: [ServerEvent], dropped: Int) {
        state.withLock { s in
            let out = Array(s.events[s.head...])
            let d = s.dropped
            s.events.removeAll(keepingCapacity: true); s.head = 0; s.dropped = 0
            return (out, d)
        }
    }

    /// Later posts are ignored (the console has exited).
    public func close() { state.withLock { $0.closed = true } }
}
