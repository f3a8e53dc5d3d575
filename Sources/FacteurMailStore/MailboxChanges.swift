import Synchronization

/// A change to one mailbox, as a session in IDLE (RFC 2177) or between commands needs it.
/// Events reach every subscriber, including the session whose command caused them: a session
/// applies them to its own view idempotently (an expunged UID it no longer has is ignored).
public enum MailboxEvent: Sendable, Equatable {
    /// New messages (ascending UIDs) — EXISTS / RECENT.
    case added(uids: [UInt32])
    /// Messages gone (ascending UIDs) — EXPUNGE / VANISHED.
    case expunged(uids: [UInt32])
    /// New flags of messages — untagged FETCH (FLAGS …).
    case flagsChanged([MessageState])
    /// The mailbox was deleted or renamed away; its UIDs mean nothing any more.
    case gone
}

/// (owner, mailbox) as events are addressed.
public struct MailboxKey: Hashable, Sendable {
    public var owner: String
    /// Canonical name (`INBOX`, `A/B`).
    public var mailbox: String
    public init(owner: String, mailbox: String) { self.owner = owner; self.mailbox = mailbox }
}

/// The change broadcaster (cf. mox `store/state.go`): operations post, sessions subscribe.
/// Handlers run on the posting thread, after the change is committed, outside the hub's lock
/// but while the store still holds the owner's lock (so one owner's events arrive in order).
/// A handler must therefore not block and must not call back into `MailStore`: it enqueues
/// the event (e.g. onto the session's event loop) and returns.
public final class MailboxChanges: Sendable {
    public typealias Handler = @Sendable (MailboxKey, MailboxEvent) -> Void

    /// Returned by `subscribe`; pass it to `unsubscribe`.
    public struct Subscription: Hashable, Sendable {
        let id: UInt64
        /// nil for a subscription to every mailbox.
        let key: MailboxKey?
    }

    private struct State {
        var nextID: UInt64 = 1
        var byKey: [MailboxKey: [UInt64: Handler]] = [:]
        var everything: [UInt64: Handler] = [:]
    }
    private let state = Mutex(State())

    public init() {}

    /// Events of one mailbox. `mailbox` is a canonical name (e.g. `MailboxSnapshot.name`).
    /// Any spelling of INBOX is accepted (`inbox` → `INBOX`).
    public func subscribe(owner: String, mailbox: String, _ handler: @escaping Handler) -> Subscription {
        let key = MailboxKey(owner: owner, mailbox: (try? MailboxName(mailbox).canonical) ?? mailbox)
        return state.withLock { s in
            let id = s.nextID
            s.nextID += 1
            s.byKey[key, default: [:]][id] = handler
            return Subscription(id: id, key: key)
        }
    }

    /// Events of every mailbox (the console).
    public func subscribeAll(_ handler: @escaping Handler) -> Subscription {
        state.withLock { s in
            let id = s.nextID
            s.nextID += 1
            s.everything[id] = handler
            return Subscription(id: id, key: nil)
        }
    }

    public func unsubscribe(_ sub: Subscription) {
        state.withLock { s in
            guard let key = sub.key else { s.everything[sub.id] = nil; return }
            s.byKey[key]?[sub.id] = nil
            if s.byKey[key]?.isEmpty == true { s.byKey[key] = nil }
        }
    }

    public var subscriberCount: Int {
        state.withLock { s in s.everything.count + s.byKey.values.reduce(0) { $0 + $1.count } }
    }

    public func post(_ key: MailboxKey, _ event: MailboxEvent) {
        let handlers: [Handler] = state.withLock { s in
            Array((s.byKey[key] ?? [:]).values) + Array(s.everything.values)
        }
        for h in handlers { h(key, event) }
    }
}
