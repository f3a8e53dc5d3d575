import Crypto
import Foundation
import Synchronization

/// Passwords verified recently, so that a client that logs in again and again (a phone polling
/// POP3 every few minutes, a desktop client opening five IMAP connections) does not pay a
/// yescrypt verification, 16 ms of CPU, every time.
///
/// Like Dovecot's authentication cache for password databases that cannot hand out a hash, it
/// keeps a keyed digest, never the password: HMAC-SHA256 of user and password under a key drawn
/// when the server starts, kept only in memory. Only successes are cached; a wrong password
/// never matches an entry and always takes the slow path (so guessing costs what it always did,
/// and the guard counts it). An entry is bound to the stored hash it was verified against, so a
/// password change or a deleted user invalidates it at once, and it expires `ttl` after the
/// slow verification, whatever happens in between. `ttl` 0 turns the cache off.
public final class VerifiedLogins: Sendable {
    struct Entry {
        var tag: [UInt8]
        var storedHash: String
        var expires: Date
    }

    public let ttl: TimeInterval
    let capacity: Int
    private let clock: @Sendable () -> Date
    /// 256 random bits, drawn at start, only ever in memory.
    private let key: [UInt8] = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
    private let entries = Mutex<[String: Entry]>([:])

    public init(ttl: TimeInterval, capacity: Int = 10_000, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.ttl = ttl
        self.capacity = max(1, capacity)
        self.clock = clock
    }

    /// True when `password` is `user`'s: from a recent verification of the same password against
    /// the same stored hash, else from `slow` (the real check), whose success is remembered.
    public func verify(user: String, password: some Collection<UInt8>, storedHash: String, slow: () -> Bool) -> Bool {
        guard ttl > 0 else { return slow() }
        let tag = self.tag(user: user, password: password)
        let now = clock()
        let hit = entries.withLock { e -> Bool in
            guard let entry = e[user] else { return false }
            guard entry.storedHash == storedHash, entry.expires > now else {
                e[user] = nil
                return false
            }
            return Self.constantTimeEqual(entry.tag, tag)
        }
        if hit { return true }
        guard slow() else { return false }
        entries.withLock { e in
            if e.count >= capacity, e[user] == nil {
                e = e.filter { $0.value.expires > now }
                if e.count >= capacity, let any = e.keys.first { e[any] = nil }
            }
            e[user] = Entry(tag: tag, storedHash: storedHash, expires: now.addingTimeInterval(ttl))
        }
        return true
    }

    public func verify(user: String, password: String, storedHash: String, slow: () -> Bool) -> Bool {
        verify(user: user, password: Array(password.utf8), storedHash: storedHash, slow: slow)
    }

    /// Forgets a user's entry (password changed or user deleted through this process).
    public func forget(_ user: String) { _ = entries.withLock { $0.removeValue(forKey: user) } }

    var count: Int { entries.withLock { $0.count } }

    private func tag(user: String, password: some Collection<UInt8>) -> [UInt8] {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: key))
        mac.update(data: Array(user.utf8))
        mac.update(data: [0])
        mac.update(data: Array(password))
        return Array(mac.finalize())
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}
