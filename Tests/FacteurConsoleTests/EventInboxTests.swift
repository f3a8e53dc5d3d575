import Foundation
import FacteurCore
import Synchronization
import Testing
@testable import FacteurConsole

@Suite struct EventInboxTests {
    @Test func dropsTheOldestBeyondCapacityAndCountsThem() {
        let wakes = Mutex(0)
        let inbox = EventInbox(capacity: 3, wake: { wakes.withLock { $0 += 1 } })
        for i in 0..<5 { inbox.post(Fixtures.event(.log(level: .info, message: "\(i)"))) }
        let (events, dropped) = inbox.drain()
        let messages = events.map { e -> String in if case let .log(_, m) = e.kind { return m } else { return "?" } }
        #expect(messages == ["2", "3", "4"])
        #expect(dropped == 2)
        #expect(wakes.withLock { $0 } == 1) // one wake-up for the burst, not one per event
        #expect(inbox.drain().events.isEmpty)
    }

    @Test func wakesOnlyWhenTheUIIsArmedAndWaiting() {
        let wakes = Mutex(0)
        let inbox = EventInbox(capacity: 10, wake: { wakes.withLock { $0 += 1 } })
        inbox.post(Fixtures.event(.log(level: .info, message: "a")))
        inbox.post(Fixtures.event(.log(level: .info, message: "b")))
        #expect(wakes.withLock { $0 } == 1)
        // Events waiting: arming says so and does not arm.
        #expect(inbox.arm())
        inbox.post(Fixtures.event(.log(level: .info, message: "c")))
        #expect(wakes.withLock { $0 } == 1)
        #expect(inbox.drain().events.count == 3)
        // Nothing waiting: armed, so the next event wakes the UI once.
        #expect(!inbox.arm())
        inbox.post(Fixtures.event(.log(level: .info, message: "d")))
        inbox.post(Fixtures.event(.log(level: .info, message: "e")))
        #expect(wakes.withLock { $0 } == 2)
    }

    @Test func postsAfterCloseAreIgnored() {
        let inbox = EventInbox(capacity: 10)
        inbox.close()
        inbox.post(Fixtures.event(.log(level: .info, message: "late")))
        #expect(inbox.drain().events.isEmpty)
    }

    @Test func manyProducersNeverBlockAndNothingIsLostBelowCapacity() async {
        let inbox = EventInbox(capacity: 10_000)
        await withTaskGroup(of: Void.self) { group in
            for p in 0..<4 {
                group.addTask { for i in 0..<1000 { inbox.post(Fixtures.event(.log(level: .info, message: "\(p)-\(i)"))) } }
            }
        }
        let (events, dropped) = inbox.drain()
        #expect(events.count == 4000)
        #expect(dropped == 0)
    }
}
