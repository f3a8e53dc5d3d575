import FacteurNet
import Foundation

/// Slows password guessing from one address, as Dovecot's auth penalty does: after a failed
/// password the reply is held back, longer for every failure from that address (`base`,
/// doubling, at most `maximum`), and further attempts from the address wait their turn, so
/// guesses on many connections opened in advance are as slow as guesses on one. Attempts
/// that arrive together from one address are spaced by at least `spacing` even before any
/// failure, so that a burst on pre-opened connections meets the ban its first failures make
/// instead of being verified all at once.
///
/// A plain value: every method takes `now`. A success from the address forgets it; so does
/// `memory` without a failure.
public struct AuthPenalty: Sendable {
    public struct Settings: Sendable, Equatable {
        /// The delay after the first failure; 0 turns the penalty (and the spacing) off.
        public var base: TimeInterval
        /// The longest delay.
        public var maximum: TimeInterval
        /// Failures are forgotten this long after the last one.
        public var memory: TimeInterval
        /// The least time between two attempts from one address (a mail client opening a few
        /// connections at once waits a fraction of a second for the last one).
        public var spacing: TimeInterval

        public init(base: TimeInterval = 2, maximum: TimeInterval = 15, memory: TimeInterval = 3600, spacing: TimeInterval = 0.1) {
            self.base = base; self.maximum = maximum; self.memory = memory; self.spacing = spacing
        }
    }

    struct Entry: Sendable {
        var failures: Int
        var lastFailure: Date
        /// No attempt from the address is verified before this time.
        var nextAttempt: Date
    }

    public let settings: Settings
    var entries: [IPAddress: Entry] = [:]
    /// Most addresses remembered (`GuardLimits.maxTrackedOffenders`); past it the oldest go.
    let capacity: Int

    public init(settings: Settings = Settings(), capacity: Int = GuardLimits.maxTrackedOffenders) {
        self.settings = settings
        self.capacity = max(capacity, 1)
    }

    /// The delay that follows the `failures`-th failure: base · 2^(failures-1), at most `maximum`.
    public func delay(afterFailures failures: Int) -> TimeInterval {
        guard failures > 0, settings.base > 0 else { return 0 }
        let doubled = settings.base * pow(2, Double(min(failures - 1, 30)))
        return min(doubled, max(settings.maximum, settings.base))
    }

    /// Failures remembered for `address`.
    public func failures(of address: IPAddress, now: Date) -> Int {
        guard let e = entries[address], now.timeIntervalSince(e.lastFailure) < settings.memory else { return 0 }
        return e.failures
    }

    /// A password from `address` is about to be verified: how long to wait first. Attempts from
    /// an address that has failed are spaced by its current delay, in the order they come.
    public mutating func attempt(from address: IPAddress, now: Date) -> TimeInterval {
        guard settings.base > 0 else { return 0 }
        var e = entries[address] ?? Entry(failures: 0, lastFailure: now, nextAttempt: now)
        if e.failures > 0, now.timeIntervalSince(e.lastFailure) >= settings.memory {
            e = Entry(failures: 0, lastFailure: now, nextAttempt: now)
        }
        let slot = max(now, e.nextAttempt)
        e.nextAttempt = slot.addingTimeInterval(max(settings.spacing, delay(afterFailures: e.failures)))
        if entries[address] == nil, entries.count >= capacity { forgetOldest() }
        entries[address] = e
        return slot.timeIntervalSince(now)
    }

    /// A password from `address` was wrong: how long to hold the reply back.
    public mutating func failed(from address: IPAddress, now: Date) -> TimeInterval {
        var e = entries[address] ?? Entry(failures: 0, lastFailure: now, nextAttempt: now)
        if now.timeIntervalSince(e.lastFailure) >= settings.memory { e = Entry(failures: 0, lastFailure: now, nextAttempt: now) }
        e.failures += 1
        e.lastFailure = now
        let wait = delay(afterFailures: e.failures)
        e.nextAttempt = max(e.nextAttempt, now.addingTimeInterval(wait))
        if entries[address] == nil, entries.count >= capacity { forgetOldest() }
        entries[address] = e
        return wait
    }

    /// A password from `address` was right: its failures are forgotten.
    public mutating func succeeded(from address: IPAddress) {
        entries[address] = nil
    }

    /// Forgets addresses whose last failure is older than `memory`, and those without a
    /// failure whose spacing is over.
    public mutating func expire(now: Date) {
        entries = entries.filter { e in
            e.value.failures > 0 ? now.timeIntervalSince(e.value.lastFailure) < settings.memory : e.value.nextAttempt > now
        }
    }

    public var trackedAddresses: Int { entries.count }

    private mutating func forgetOldest() {
        guard let oldest = entries.min(by: { $0.value.lastFailure < $1.value.lastFailure })?.key else { return }
        entries[oldest] = nil
    }
}
