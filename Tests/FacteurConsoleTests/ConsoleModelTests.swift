import Foundation
import FacteurCore
import Testing
@testable import FacteurConsole

@Suite struct ConsoleModelTests {
    typealias F = Fixtures

    @Test func connectionLifecycle() {
        var m = ConsoleModel(startTime: F.now)
        m.apply(F.event(.connectionOpened(F.info(7))))
        #expect(m.connections.count == 1)
        #expect(m.connections[ConnectionID(7)]?.state == "connected")
        m.apply(F.event(.connectionUpdated(id: ConnectionID(7), user: nil, state: "EHLO", bytesIn: 10, bytesOut: 20)))
        m.apply(F.event(.authSucceeded(id: ConnectionID(7), service: .smtp, remoteAddress: "192.0.2.7", user: "alice@example.com")))
        m.apply(F.event(.command(id: ConnectionID(7), service: .smtp, remoteAddress: "192.0.2.7", verb: "MAIL", replyCode: 250)))
        let c = m.connections[ConnectionID(7)]
        #expect(c?.user == "alice@example.com")
        #expect(c?.state == "MAIL")
        #expect(c?.bytesIn == 10 && c?.bytesOut == 20)
        m.apply(F.event(.connectionClosed(id: ConnectionID(7), bytesIn: 10, bytesOut: 20)))
        #expect(m.connections.isEmpty)
        #expect(m.counters.connections == 1)
    }

    @Test func updatesForUnknownConnectionsAreIgnored() {
        var m = ConsoleModel(startTime: F.now)
        m.apply(F.event(.connectionUpdated(id: ConnectionID(9), user: "x", state: "DATA", bytesIn: 1, bytesOut: 1)))
        m.apply(F.event(.connectionClosed(id: ConnectionID(9), bytesIn: 1, bytesOut: 1)))
        #expect(m.connections.isEmpty)
    }

    @Test func identicalRejectionsFoldWithACountAndMoveToTheTop() {
        var m = ConsoleModel(startTime: F.now)
        m.apply(F.event(.rejected(F.rejection("198.51.100.23")), ago: 30))
        m.apply(F.event(.rejected(F.rejection("203.0.113.5")), ago: 20))
        m.apply(F.event(.rejected(F.rejection("198.51.100.23")), ago: 10))
        #expect(m.rejections.map(\.rejection.remoteAddress) == ["198.51.100.23", "203.0.113.5"])
        #expect(m.rejections.map(\.count) == [2, 1])
        #expect(m.rejections[0].firstSeen == F.now.addingTimeInterval(-30))
        #expect(m.rejections[0].lastSeen == F.now.addingTimeInterval(-10))
        #expect(m.counters.rejections == 3)
    }

    @Test func rejectionRowsAreBounded() {
        var m = ConsoleModel(startTime: F.now)
        for i in 0..<(ConsoleLimits.rejectionRows + 20) {
            m.apply(F.event(.rejected(F.rejection("10.0.\(i / 256).\(i % 256)"))))
        }
        #expect(m.rejections.count == ConsoleLimits.rejectionRows)
        #expect(m.rejections.first?.rejection.remoteAddress == "10.0.2.7")
    }

    @Test func countersAndBans() {
        var m = ConsoleModel(startTime: F.now)
        m.apply(F.event(.delivered(Delivery(connection: nil, remoteAddress: "192.0.2.7", sender: "a@b.example", recipients: ["c@d.example"], size: 10))))
        m.apply(F.event(.authFailed(id: ConnectionID(1), service: .imap, remoteAddress: "192.0.2.7", user: "bob", passwordDigest: "x")))
        m.apply(F.event(.banned(F.ban("192.0.2.7/32", expiresIn: 60))))
        #expect(m.counters.deliveries == 1)
        #expect(m.counters.authFailures == 1)
        #expect(m.counters.bans == 1)
        #expect(m.activeBans(at: F.now).count == 1)
        #expect(m.activeBans(at: F.now.addingTimeInterval(61)).isEmpty)
        m.apply(F.event(.unbanned(network: "192.0.2.7/32", why: "manual")))
        #expect(m.bans.isEmpty)
    }

    @Test func listenersAreUpsertedAndFailuresKept() {
        var m = ConsoleModel(startTime: F.now)
        m.apply(F.event(.listenerStarted(service: .imap, address: "0.0.0.0:993", tls: true)))
        m.apply(F.event(.listenerFailed(service: .imap, address: "0.0.0.0:993", error: "address in use")))
        #expect(m.listeners == [ListenerStatus(service: .imap, address: "0.0.0.0:993", tls: true, error: "address in use")])
    }

    @Test func logIsARingBuffer() {
        var m = ConsoleModel(startTime: F.now)
        for i in 0..<(ConsoleLimits.logLines + 5) { m.apply(F.event(.log(level: .info, message: "line \(i)"))) }
        #expect(m.log.count == ConsoleLimits.logLines)
        #expect(m.log.elements.first?.message == "line 5")
        #expect(m.log.elements.last?.message == "line \(ConsoleLimits.logLines + 4)")
        #expect(m.log.dropped == 5)
    }

    @Test func perMinuteHistory() {
        var m = ConsoleModel(startTime: F.now)
        m.apply(F.event(.connectionOpened(F.info(1)), ago: 65))   // 09:58:55, two buckets back
        m.apply(F.event(.connectionOpened(F.info(2)), ago: 0))
        m.apply(F.event(.connectionOpened(F.info(3)), ago: 0))
        m.apply(F.event(.rejected(F.rejection("192.0.2.1")), ago: 0))
        let s = m.history.series(endingAt: F.now, count: 4)
        #expect(s.connections == [0, 1, 0, 2])
        #expect(s.rejections == [0, 0, 0, 1])
        // A minute later everything slides left.
        let later = m.history.series(endingAt: F.now.addingTimeInterval(60), count: 4)
        #expect(later.connections == [1, 0, 2, 0])
    }

    @Test func historyIsBounded() {
        var h = MinuteHistory(capacity: 3)
        for i in 0..<10 { h.countConnection(at: F.now.addingTimeInterval(Double(i) * 60)) }
        #expect(h.buckets.count == 3)
    }
}
