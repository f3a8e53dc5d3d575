import FacteurCore
import Synchronization

/// The exclusive-access lock on each maildrop (RFC 1939 §8: "the POP3 server then acquires an
/// exclusive-access lock on the maildrop"), process-wide. A second session for the same owner is
/// refused with [IN-USE] (RFC 2449 §8.1.1) until the first one closes.
public final class POP3MaildropLocks: Sendable {
    private let holders = Mutex<[String: ConnectionID]>([:])

    public init() {}

    /// Takes the lock for `owner`; false if another connection holds it.
    public func acquire(_ owner: String, by holder: ConnectionID) -> Bool {
        holders.withLock { table in
            if let current = table[owner] { return current == holder }
            table[owner] = holder
            return true
        }
    }

    /// Gives the lock back. Only its holder can release it, so a late or repeated call is harmless.
    public func release(_ owner: String, by holder: ConnectionID) {
        holders.withLock { table in
            if table[owner] == holder { table[owner] = nil }
        }
    }

    /// The connection holding `owner`'s maildrop, if any.
    public func holder(of owner: String) -> ConnectionID? {
        holders.withLock { $0[owner] }
    }
}
