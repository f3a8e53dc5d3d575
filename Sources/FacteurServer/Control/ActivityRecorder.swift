import FacteurCore
import Foundation
import NIOCore
import Synchronization

/// The server's memory of its own activity for consoles, and the fan-out of live events to each
/// attached console. Subscribed to the event hub: per event it folds the event into the
/// activity, keeps it if it is worth a log line and, while a console watches, adds it to one
/// shared pending batch — one lock, no I/O, no formatting. Every `batchDelay` the batch is
/// encoded once and its frames are handed to every console (the bytes are shared), so the cost
/// of a console does not grow with the event rate times the number of consoles.
///
/// What consoles are sent is what they show: per-command events (`command`) are left out (the
/// `connectionUpdated` that follows each one carries the same state), and the updates of one
/// connection within a batch fold into its latest. A slow or stopped console never slows
/// delivery: its frames wait in a bounded queue; when that overflows they are dropped, counted,
/// and the console gets a new snapshot instead.
public final class ActivityRecorder: Sendable {
    public enum Take: Sendable {
        case nothing
        /// Encoded `events` frames, oldest first (shared with the other consoles).
        case frames([ByteBuffer])
        /// The queue overflowed: this many events were dropped; start again from this snapshot.
        case resnapshot(dropped: Int, activity: ServerActivity, recent: [ServerEvent])
    }

    private struct Sink {
        var id: UInt64
        var frames: [ByteBuffer] = []
        /// Events in `frames`.
        var queued = 0
        var dropped = 0
        var overflowed = false
        /// The writer was woken and has not taken yet: no further wake-up needed.
        var wakePending = false
        /// Leading events of the pending batch that this console's snapshot already holds.
        var skip = 0
        /// Raised by every new snapshot: a batch taken before it is not for this console.
        var epoch = 0
        let wake: @Sendable () -> Void
    }

    private struct State {
        var activity: ServerActivity
        var recent = LogRing<ServerEvent>(capacity: ActivityLimits.recentLogEvents)
        var sinks: [Sink] = []
        var nextID: UInt64 = 0
        /// Events for consoles since the last batch went out.
        var pending: [ServerEvent] = []
        /// Where in `pending` the latest `connectionUpdated` of a connection is.
        var updateSlots: [ConnectionID: Int] = [:]
        var batchScheduled = false
    }

    private struct Target {
        var id: UInt64
        var skip: Int
        var epoch: Int
    }

    private let state: Mutex<State>
    /// One batch at a time, so that frames reach every console in order.
    private let batching = Mutex(())
    private let capacity: Int
    private let batchDelay: DispatchTimeInterval?
    private let queue = DispatchQueue(label: "facteur.control.batch")

    /// `batchDelay` nil: batches go out only when `sendBatch()` is called (tests).
    public init(startTime: Date, bans: [BanInfo], queueCapacity: Int = ControlLimits.consoleQueueEvents,
                batchDelay: DispatchTimeInterval? = .milliseconds(ControlLimits.batchMilliseconds)) {
        state = Mutex(State(activity: ServerActivity(startTime: startTime, bans: bans)))
        capacity = max(1, queueCapacity)
        self.batchDelay = batchDelay
    }

    /// The hub subscriber. Called on the publishing thread.
    public func record(_ event: ServerEvent) {
        let schedule: Bool = state.withLock { s in
            s.activity.apply(event)
            if EventLog.hasInfoLine(event) { s.recent.append(event) }
            guard !s.sinks.isEmpty else { return false }
            switch event.kind {
            case .command:
                return false
            case let .connectionUpdated(id, _, _, _, _):
                if let slot = s.updateSlots[id] {
                    s.pending[slot] = event
                    return false
                }
                s.updateSlots[id] = s.pending.count
            default:
                break
            }
            s.pending.append(event)
            if s.pending.count > capacity { Self.overflowAll(&s) }
            if s.batchScheduled { return false }
            s.batchScheduled = true
            return true
        }
        if schedule, let batchDelay { queue.asyncAfter(deadline: .now() + batchDelay) { [self] in sendBatch() } }
    }

    /// Encodes the pending batch once and queues its frames for every console.
    public func sendBatch() {
        batching.withLock { _ in
            let (batch, targets): ([ServerEvent], [Target]) = state.withLock { s in
                s.batchScheduled = false
                let batch = s.pending
                s.pending = []
                s.updateSlots = [:]
                let targets = s.sinks.map { Target(id: $0.id, skip: $0.skip, epoch: $0.epoch) }
                for i in s.sinks.indices { s.sinks[i].skip = 0 }
                return (batch, targets)
            }
            // Encoded once per distinct start (a console that attached mid-batch starts later).
            var encoded: [Int: [ByteBuffer]] = [:]
            for t in targets where t.skip < batch.count && encoded[t.skip] == nil {
                encoded[t.skip] = Self.frames(batch[t.skip...])
            }
            let wakes: [@Sendable () -> Void] = state.withLock { s in
                var wakes: [@Sendable () -> Void] = []
                for t in targets {
                    guard let i = s.sinks.firstIndex(where: { $0.id == t.id }), s.sinks[i].epoch == t.epoch else { continue }
                    if let frames = encoded[t.skip] {
                        let count = batch.count - t.skip
                        if s.sinks[i].overflowed {
                            s.sinks[i].dropped += count
                        } else {
                            s.sinks[i].frames += frames
                            s.sinks[i].queued += count
                            if s.sinks[i].queued > capacity { Self.overflow(&s.sinks[i]) }
                        }
                    } else if !s.sinks[i].overflowed {
                        continue
                    }
                    // An overflowed console is woken too: it takes its drop count and a snapshot.
                    if !s.sinks[i].wakePending {
                        s.sinks[i].wakePending = true
                        wakes.append(s.sinks[i].wake)
                    }
                }
                return wakes
            }
            for w in wakes { w() }
        }
    }

    /// A new console: its id and the snapshot its feed starts after (atomically).
    public func attach(wake: @escaping @Sendable () -> Void) -> (id: UInt64, activity: ServerActivity, recent: [ServerEvent]) {
        state.withLock { s in
            s.nextID += 1
            s.sinks.append(Sink(id: s.nextID, skip: s.pending.count, wake: wake))
            // Later updates must not fold into events this console will skip.
            s.updateSlots = [:]
            return (s.nextID, s.activity, s.recent.elements)
        }
    }

    public func detach(_ id: UInt64) {
        state.withLock { s in
            s.sinks.removeAll { $0.id == id }
            if s.sinks.isEmpty { s.pending = []; s.updateSlots = [:] }
        }
    }

    /// What is waiting for a console; the next batch wakes it again.
    public func take(_ id: UInt64) -> Take {
        state.withLock { s in
            guard let i = s.sinks.firstIndex(where: { $0.id == id }) else { return .nothing }
            s.sinks[i].wakePending = false
            if s.sinks[i].overflowed {
                let dropped = s.sinks[i].dropped
                Self.startOver(&s, at: i)
                return .resnapshot(dropped: dropped, activity: s.activity, recent: s.recent.elements)
            }
            let frames = s.sinks[i].frames
            s.sinks[i].frames = []
            s.sinks[i].queued = 0
            return frames.isEmpty ? .nothing : .frames(frames)
        }
    }

    /// Starts a console again from a snapshot (it asked: its own screen fell behind); what was
    /// queued for it is part of the snapshot.
    public func restart(_ id: UInt64) -> (activity: ServerActivity, recent: [ServerEvent])? {
        state.withLock { s in
            guard let i = s.sinks.firstIndex(where: { $0.id == id }) else { return nil }
            Self.startOver(&s, at: i)
            return (s.activity, s.recent.elements)
        }
    }

    /// The activity as it is now (for `facteur status`-like answers).
    public var activity: ServerActivity { state.withLock { $0.activity } }

    /// The console at `i` gets a snapshot of the activity as it is now: nothing queued or
    /// pending before it is for that console any more.
    private static func startOver(_ s: inout State, at i: Int) {
        s.sinks[i].frames = []
        s.sinks[i].queued = 0
        s.sinks[i].overflowed = false
        s.sinks[i].dropped = 0
        s.sinks[i].skip = s.pending.count
        s.sinks[i].epoch += 1
        s.updateSlots = [:]
    }

    private static func overflow(_ sink: inout Sink) {
        sink.overflowed = true
        sink.dropped += sink.queued
        sink.frames = []
        sink.queued = 0
    }

    /// The pending batch itself grew past the bound (batches stopped going out): every console
    /// loses it and starts again from a snapshot.
    private static func overflowAll(_ s: inout State) {
        for i in s.sinks.indices {
            s.sinks[i].overflowed = true
            s.sinks[i].dropped += s.sinks[i].queued + s.pending.count - s.sinks[i].skip
            s.sinks[i].frames = []
            s.sinks[i].queued = 0
            s.sinks[i].skip = 0
            s.sinks[i].epoch += 1
        }
        s.pending = []
        s.updateSlots = [:]
    }

    private static func frames(_ events: ArraySlice<ServerEvent>) -> [ByteBuffer] {
        var out: [ByteBuffer] = []
        var i = events.startIndex
        while i < events.endIndex {
            let end = min(events.endIndex, i + ControlLimits.eventsPerFrame)
            if let frame = try? ControlCodec.frame(ServerMessage.events(Array(events[i..<end]))) {
                out.append(ByteBuffer(bytes: frame))
            }
            i = end
        }
        return out
    }
}
