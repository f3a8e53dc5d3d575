import Foundation
import Synchronization
import Testing
@testable import FacteurServer

/// The cache of verified passwords: only successes are remembered, bound to the stored hash,
/// for `ttl` after the slow check (clock injected).
struct VerifiedLoginsTests {
    final class Clock: Sendable {
        let now = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        func advance(_ s: TimeInterval) { now.withLock { $0 = $0.addingTimeInterval(s) } }
        var read: @Sendable () -> Date { { self.now.withLock { $0 } } }
    }

    /// A slow check that counts its calls and accepts only `right`.
    final class Checker: Sendable {
        let calls = Mutex(0)
        let right: String
        init(_ right: String) { self.right = right }
        func check(_ password: String) -> Bool { calls.withLock { $0 += 1 }; return password == right }
        var count: Int { calls.withLock { $0 } }
    }

    @Test func aRepeatedRightPasswordSkipsTheSlowCheck() {
        let cache = VerifiedLogins(ttl: 3600)
        let checker = Checker("right")
        for _ in 0..<5 {
            #expect(cache.verify(user: "alice@example.test", password: "right", storedHash: "$y$h1") { checker.check("right") })
        }
        #expect(checker.count == 1)
    }

    @Test func wrongPasswordsAlwaysTakeTheSlowPathAndNeverMatch() {
        let cache = VerifiedLogins(ttl: 3600)
        let checker = Checker("right")
        #expect(cache.verify(user: "alice", password: "right", storedHash: "h") { checker.check("right") })
        for guess in ["Right", "right ", "", "wrong", "righ"] {
            #expect(!cache.verify(user: "alice", password: guess, storedHash: "h") { checker.check(guess) })
        }
        #expect(checker.count == 6)
        // The right password is still remembered after the wrong ones.
        #expect(cache.verify(user: "alice", password: "right", storedHash: "h") { checker.check("right") })
        #expect(checker.count == 6)
    }

    @Test func anEntryBelongsToOneUser() {
        let cache = VerifiedLogins(ttl: 3600)
        let checker = Checker("same")
        #expect(cache.verify(user: "alice", password: "same", storedHash: "h") { checker.check("same") })
        #expect(cache.verify(user: "bob", password: "same", storedHash: "h") { checker.check("same") })
        #expect(checker.count == 2)
    }

    @Test func aChangedStoredHashInvalidatesTheEntry() {
        let cache = VerifiedLogins(ttl: 3600)
        let old = Checker("old")
        #expect(cache.verify(user: "alice", password: "old", storedHash: "h1") { old.check("old") })
        // The password was changed: the stored hash is another one, and the old password is refused.
        let new = Checker("new")
        #expect(!cache.verify(user: "alice", password: "old", storedHash: "h2") { new.check("old") })
        #expect(cache.verify(user: "alice", password: "new", storedHash: "h2") { new.check("new") })
        #expect(new.count == 2)
    }

    @Test func entriesExpireTTLAfterTheSlowCheck() {
        let clock = Clock()
        let cache = VerifiedLogins(ttl: 600, clock: clock.read)
        let checker = Checker("pw")
        #expect(cache.verify(user: "alice", password: "pw", storedHash: "h") { checker.check("pw") })
        clock.advance(599)
        #expect(cache.verify(user: "alice", password: "pw", storedHash: "h") { checker.check("pw") })
        #expect(checker.count == 1)
        clock.advance(1)
        #expect(cache.verify(user: "alice", password: "pw", storedHash: "h") { checker.check("pw") })
        #expect(checker.count == 2)
    }

    @Test func zeroTTLVerifiesEveryTime() {
        let cache = VerifiedLogins(ttl: 0)
        let checker = Checker("pw")
        for _ in 0..<3 { #expect(cache.verify(user: "alice", password: "pw", storedHash: "h") { checker.check("pw") }) }
        #expect(checker.count == 3)
        #expect(cache.count == 0)
    }

    @Test func theCacheIsBounded() {
        let cache = VerifiedLogins(ttl: 3600, capacity: 100)
        for i in 0..<1000 { _ = cache.verify(user: "u\(i)", password: "pw", storedHash: "h") { true } }
        #expect(cache.count <= 100)
    }
}
