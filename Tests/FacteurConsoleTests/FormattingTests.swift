import Foundation
import Testing
@testable import FacteurConsole

@Suite struct FormattingTests {
    @Test func countdownMovesWithNow() {
        let expires = Fixtures.now.addingTimeInterval(3725)
        #expect(Formatting.countdown(until: expires, now: Fixtures.now) == "1h02m05s")
        #expect(Formatting.countdown(until: expires, now: Fixtures.now.addingTimeInterval(1)) == "1h02m04s")
        #expect(Formatting.countdown(until: expires, now: Fixtures.now.addingTimeInterval(3700)) == "25s")
        #expect(Formatting.countdown(until: expires, now: Fixtures.now.addingTimeInterval(3725)) == "expired")
        #expect(Formatting.countdown(until: nil, now: Fixtures.now) == "permanent")
        #expect(Formatting.countdown(until: Fixtures.now.addingTimeInterval(2 * 86_400 + 7200), now: Fixtures.now) == "2d02h00m")
    }

    @Test(arguments: [(5.0, "5s"), (65.0, "1m05s"), (Double(3 * 3600 + 125), "3h02m"), (90_000.0, "1d01h"), (-3.0, "0s")] as [(Double, String)])
    func durations(seconds: Double, expected: String) {
        #expect(Formatting.duration(seconds) == expected)
    }

    @Test(arguments: [(Int64(0), "0 B"), (1023, "1023 B"), (2048, "2.0 KiB"), (48_000_000, "45.8 MiB")])
    func sizes(bytes: Int64, expected: String) {
        #expect(Formatting.bytes(bytes) == expected)
    }

    @Test func clockAndDateAreUTC() {
        #expect(Formatting.clock(Fixtures.now) == "10:00:00")
        #expect(Formatting.dateTime(Fixtures.now) == "2026-11-29 10:00")
    }

    @Test func parsesDurations() {
        #expect(Formatting.parseDuration("30m") == .seconds(1800))
        #expect(Formatting.parseDuration(" 2H ") == .seconds(7200))
        #expect(Formatting.parseDuration("7d") == .seconds(604_800))
        #expect(Formatting.parseDuration("15") == .seconds(900))
        #expect(Formatting.parseDuration("permanent") == .permanent)
        #expect(Formatting.parseDuration("") == nil)
        #expect(Formatting.parseDuration("-1h") == nil)
        #expect(Formatting.parseDuration("soon") == nil)
        #expect(Formatting.parseDuration("99999999999999h") == nil)
    }
}
