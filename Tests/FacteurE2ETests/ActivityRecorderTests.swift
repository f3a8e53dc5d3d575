import FacteurCore
import FacteurServer
import Foundation
import NIOCore
import Synchronization
import Testing

/// The server's side of a console's feed, without sockets: one batch encoded for every console,
/// per-command events left out and a connection's updates folded, queues bounded per console
/// (an overflow becomes a drop count and a fresh snapshot), one wake-up per batch.
@Suite struct ActivityRecorderTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func opened(_ id: UInt64) -> ServerEvent {
        ServerEvent(time: t0, kind: .connectionOpened(ConnectionInfo(id: ConnectionID(id), service: .smtp, remoteAddress: "127.0.0.5",
                                                                      remotePort: 1, localAddress: "x", tls: false, opened: t0)))
    }

    func updated(_ id: UInt64, _ state: String) -> ServerEvent {
        ServerEvent(time: t0, kind: .connectionUpdated(id: ConnectionID(id), user: nil, state: state, bytesIn: 1, bytesOut: 2))
    }

    func command(_ id: UInt64, _ verb: String) -> ServerEvent {
        ServerEvent(time: t0, kind: .command(id: ConnectionID(id), service: .smtp, remoteAddress: "127.0.0.5", verb: verb, replyCode: 250))
    }

    func recorder(capacity: Int = ControlLimits.consoleQueueEvents) -> ActivityRecorder {
        ActivityRecorder(startTime: t0, bans: [], queueCapacity: capacity, batchDelay: nil)
    }

    /// The events in the frames a console took (decoded as a console decodes them).
    func events(_ take: ActivityRecorder.Take) throws -> [ServerEvent]? {
        guard case let .frames(frames) = take else { return nil }
        var decoder = ControlFrame.Decoder(limit: ControlLimits.serverFrameBytes)
        for f in frames { decoder.append(f.readableBytesView) }
        var out: [ServerEvent] = []
        while let payload = try decoder.next() {
            guard case let .events(e) = try ControlCodec.decode(ServerMessage.self, from: payload) else { continue }
            out += e
        }
        return out
    }

    @Test func aConsoleGetsTheSnapshotThenOnlyLaterEventsWithOneWakeUpPerBatch() throws {
        let r = recorder()
        r.record(opened(1))
        let wakes = Mutex(0)
        let (id, activity, recent) = r.attach { wakes.withLock { $0 += 1 } }
        #expect(activity.connections.count == 1)
        #expect(recent.count == 1)
        r.record(opened(2))
        r.record(opened(3))
        #expect(wakes.withLock { $0 } == 0, "nothing is sent before the batch goes out")
        r.sendBatch()
        #expect(wakes.withLock { $0 } == 1)
        #expect(try events(r.take(id))?.count == 2)
        r.record(opened(4))
        r.sendBatch()
        #expect(wakes.withLock { $0 } == 2)
    }

    @Test func everyConsoleGetsTheSameEncodedBytes() throws {
        let r = recorder()
        let (a, _, _) = r.attach {}
        let (b, _, _) = r.attach {}
        r.record(opened(1))
        r.sendBatch()
        guard case let .frames(fa) = r.take(a), case let .frames(fb) = r.take(b) else { Issue.record("no frames"); return }
        #expect(fa == fb)
        #expect(fa.count == 1)
    }

    @Test func commandsAreLeftOutAndUpdatesOfAConnectionFoldIntoTheLatest() throws {
        let r = recorder()
        let (id, _, _) = r.attach {}
        r.record(opened(1))
        r.record(opened(2))
        for verb in ["EHLO", "MAIL", "RCPT", "DATA"] {
            r.record(command(1, verb))
            r.record(updated(1, verb))
            r.record(command(2, verb))
            r.record(updated(2, verb))
        }
        r.sendBatch()
        let got = try #require(try events(r.take(id)))
        #expect(got.count == 4)
        let states: [String] = got.compactMap {
            if case let .connectionUpdated(_, _, state, _, _) = $0.kind { return state } else { return nil }
        }
        #expect(states == ["DATA", "DATA"])
        #expect(!got.contains { if case .command = $0.kind { return true } else { return false } })
        // The server's own activity saw everything.
        #expect(r.activity.connections[ConnectionID(1)]?.state == "DATA")
    }

    @Test func aConsoleAttachingMidBatchGetsOnlyWhatItsSnapshotLacks() throws {
        let r = recorder()
        let (early, _, _) = r.attach {}
        r.record(opened(1))
        r.record(updated(1, "EHLO"))
        let (late, activity, _) = r.attach {}
        #expect(activity.connections[ConnectionID(1)]?.state == "EHLO")
        r.record(updated(1, "MAIL"))
        r.record(opened(2))
        r.sendBatch()
        let first = try #require(try events(r.take(early)))
        let second = try #require(try events(r.take(late)))
        #expect(first.count == 4)
        #expect(second.count == 2, "the late console has connection 1 in its snapshot")
        var model = activity
        for e in second { model.apply(e) }
        #expect(model.connections[ConnectionID(1)]?.state == "MAIL")
        #expect(model.counters.connections == 2)
    }

    @Test func aConsoleThatDoesNotReadOverflowsAloneAndIsResnapshotted() throws {
        let r = recorder(capacity: 10)
        let (slow, _, _) = r.attach {}
        let (fast, _, _) = r.attach {}
        for i in 0..<25 {
            r.record(opened(UInt64(i)))
            if i % 5 == 4 {
                r.sendBatch()
                _ = r.take(fast)
            }
        }
        guard case let .resnapshot(dropped, activity, _) = r.take(slow) else { Issue.record("no resnapshot"); return }
        #expect(dropped == 25)
        #expect(activity.counters.connections == 25)
        // After the snapshot, events flow again.
        r.record(opened(99))
        r.sendBatch()
        #expect(try events(r.take(slow))?.count == 1)
        r.detach(slow)
        #expect({ if case .nothing = r.take(slow) { return true } else { return false } }())
    }

    @Test func aConsoleThatAsksAgainGetsASnapshotAndNothingItAlreadyHolds() throws {
        let r = recorder()
        let (id, _, _) = r.attach {}
        for i in 0..<3 { r.record(opened(UInt64(i))) }
        let again = r.restart(id)
        #expect(again?.activity.counters.connections == 3)
        r.sendBatch()
        #expect({ if case .nothing = r.take(id) { return true } else { return false } }())
        #expect(r.restart(999) == nil)
    }

    @Test func batchesGoOutByThemselvesAfterTheDelay() throws {
        let r = ActivityRecorder(startTime: t0, bans: [], batchDelay: .milliseconds(10))
        let woken = DispatchSemaphore(value: 0)
        let (id, _, _) = r.attach { woken.signal() }
        r.record(opened(1))
        #expect(woken.wait(timeout: .now() + 10) == .success)
        #expect(try events(r.take(id))?.count == 1)
    }
}
