import Foundation
import Testing
@testable import FacteurGuard
import FacteurNet

@Suite struct AuthPenaltyTests {
    let guesser = IPAddress(ipv4: 0xC633_6405) // 198.51.100.5
    let other = IPAddress(ipv4: 0xC633_6406)

    @Test func delayDoublesPerFailureUpToTheMaximum() {
        let p = AuthPenalty(settings: .init(base: 2, maximum: 15))
        #expect(p.delay(afterFailures: 0) == 0)
        #expect(p.delay(afterFailures: 1) == 2)
        #expect(p.delay(afterFailures: 2) == 4)
        #expect(p.delay(afterFailures: 3) == 8)
        #expect(p.delay(afterFailures: 4) == 15)
        #expect(p.delay(afterFailures: 100) == 15)
        #expect(AuthPenalty(settings: .init(base: 0)).delay(afterFailures: 3) == 0)
    }

    @Test func failedRepliesAreHeldLongerEachTimeAndOnlyForThatAddress() {
        var p = AuthPenalty(settings: .init(base: 2, maximum: 15, spacing: 0))
        #expect(p.attempt(from: guesser, now: t0) == 0)
        #expect(p.failed(from: guesser, now: t0) == 2)
        // The next attempt on the same connection comes after the reply: no extra wait.
        #expect(p.attempt(from: guesser, now: at(2)) == 0)
        #expect(p.failed(from: guesser, now: at(2)) == 4)
        #expect(p.failures(of: guesser, now: at(2)) == 2)
        #expect(p.attempt(from: other, now: at(2)) == 0)
    }

    /// Attempts on many connections opened in advance wait their turn: one per delay.
    @Test func parallelAttemptsFromOneAddressAreSpaced() {
        var p = AuthPenalty(settings: .init(base: 2, maximum: 15))
        _ = p.failed(from: guesser, now: t0)                  // next attempt at t0 + 2
        let waits = (0..<5).map { _ in p.attempt(from: guesser, now: at(1)) }
        #expect(waits == [1, 3, 5, 7, 9])
    }

    /// Before any failure, a burst from one address is spaced a little, so that its first
    /// failures (and the ban they make) come before the rest is verified.
    @Test func aBurstIsSpacedBeforeAnyFailure() {
        var p = AuthPenalty(settings: .init(base: 2, maximum: 15, spacing: 0.1))
        let waits = (0..<4).map { _ in p.attempt(from: guesser, now: t0) }
        #expect(zip(waits, [0, 0.1, 0.2, 0.3]).allSatisfy { abs($0 - $1) < 1e-4 }, "\(waits)")
        #expect(p.attempt(from: other, now: t0) == 0)
        // A success forgets it; an address that never failed is forgotten once its spacing is over.
        p.succeeded(from: guesser)
        #expect(p.attempt(from: guesser, now: t0) == 0)
        p.expire(now: at(1))
        #expect(p.trackedAddresses == 0)
    }

    @Test func successOrTimeForgetsTheFailures() {
        var p = AuthPenalty(settings: .init(base: 2, maximum: 15, memory: 600, spacing: 0))
        _ = p.failed(from: guesser, now: t0)
        _ = p.failed(from: guesser, now: t0)
        p.succeeded(from: guesser)
        #expect(p.failures(of: guesser, now: t0) == 0)
        #expect(p.failed(from: guesser, now: t0) == 2)
        #expect(p.failures(of: guesser, now: at(601)) == 0)
        #expect(p.failed(from: guesser, now: at(601)) == 2)
        p.expire(now: at(2000))
        #expect(p.trackedAddresses == 0)
    }

    @Test func memoryIsBounded() {
        var p = AuthPenalty(capacity: 3)
        for i in 0..<10 { _ = p.failed(from: IPAddress(ipv4: 0x0A00_0000 + UInt32(i)), now: at(Double(i))) }
        #expect(p.trackedAddresses == 3)
        #expect(p.failures(of: IPAddress(ipv4: 0x0A00_0009), now: at(10)) == 1)
        #expect(p.failures(of: IPAddress(ipv4: 0x0A00_0000), now: at(10)) == 0)
    }
}
