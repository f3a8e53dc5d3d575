import FacteurCore
import FacteurServer
import Foundation
import Synchronization
import Testing

/// The server's side of a console's feed, without sockets: queues are bounded per console, an
/// overflow becomes a drop count and a fresh snapshot, wake-ups are one per batch.
@Suite struct ActivityRecorderTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func opened(_ id: UInt64) -> ServerEvent {
        ServerEvent(time: t0, kind: .connectionOpened(ConnectionInfo(id: ConnectionID(id), service: .smtp, remoteAddress: "127.0.0.5",
                                                                      remotePort: 1, localAddress: "x", tls: false, opened: t0)))
    }

    @Test func aConsoleGetsTheSnapshotThenOnlyLaterEventsWithOneWakeUpPerBatch() {
        let r = ActivityRecorder(startTime: t0, bans: [])
        r.record(opened(1))
        let wakes = Mutex(0)
        let (id, activity, recent) = r.attach { wakes.withLock { $0 += 1 } }
        #expect(activity.connections.count == 1)
        #expect(recent.count == 1)
        r.record(opened(2))
        r.record(opened(3))
        #expect(wakes.withLock { $0 } == 1)
        guard case let .events(e) = r.take(id) else { Issue.record("no events"); return }
        #expect(e.count == 2)
        r.record(opened(4))
        #expect(wakes.withLock { $0 } == 2)
    }

    @Test func aConsoleThatDoesNotReadOverflowsAloneAndIsResnapshotted() {
        let r = ActivityRecorder(startTime: t0, bans: [], queueCapacity: 10)
        let (slow, _, _) = r.attach {}
        let (fast, _, _) = r.attach {}
        for i in 0..<25 {
            r.record(opened(UInt64(i)))
            if i % 5 == 4 { _ = r.take(fast) }
        }
        guard case let .resnapshot(dropped, activity, _) = r.take(slow) else { Issue.record("no resnapshot"); return }
        #expect(dropped == 25)
        #expect(activity.counters.connections == 25)
        // After the snapshot, events flow again.
        r.record(opened(99))
        guard case let .events(e) = r.take(slow) else { Issue.record("no events after the snapshot"); return }
        #expect(e.count == 1)
        r.detach(slow)
        #expect({ if case .nothing = r.take(slow) { return true } else { return false } }())
    }

    @Test func aConsoleThatAsksAgainGetsASnapshotAndAnEmptyQueue() {
        let r = ActivityRecorder(startTime: t0, bans: [])
        let (id, _, _) = r.attach {}
        for i in 0..<3 { r.record(opened(UInt64(i))) }
        let again = r.restart(id)
        #expect(again?.activity.counters.connections == 3)
        #expect({ if case .nothing = r.take(id) { return true } else { return false } }())
        #expect(r.restart(999) == nil)
    }
}
