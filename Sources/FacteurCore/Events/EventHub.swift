import Foundation
import Synchronization

/// The one event stream out of the server. Subscribers are called synchronously on the thread
/// that publishes and must not block: the console copies into its own bounded queue, the log
/// formats a line. The server never waits for a consumer.
public final class EventHub: Sendable {
    public typealias Subscriber = @Sendable (ServerEvent) -> Void
    private struct Subscribers {
        var byID: [UInt64: Subscriber] = [:]
        /// What `publish` calls: rebuilt on (rare) subscribe/unsubscribe, shared (copy-on-write)
        /// by every publish, so publishing allocates nothing for the list.
        var list: [Subscriber] = []
        var nextID: UInt64 = 0
    }
    private let subscribers = Mutex(Subscribers())
    let clock: @Sendable () -> Date

    public init(clock: @escaping @Sendable () -> Date = { Date() }) { self.clock = clock }

    @discardableResult
    public func subscribe(_ s: @escaping Subscriber) -> UInt64 {
        subscribers.withLock { subs in
            subs.nextID += 1
            subs.byID[subs.nextID] = s
            subs.list = subs.byID.sorted { $0.key < $1.key }.map(\.value)
            return subs.nextID
        }
    }

    public func unsubscribe(_ id: UInt64) {
        subscribers.withLock { subs in
            guard subs.byID.removeValue(forKey: id) != nil else { return }
            subs.list = subs.byID.sorted { $0.key < $1.key }.map(\.value)
        }
    }

    public func publish(_ kind: ServerEvent.Kind) {
        let event = ServerEvent(time: clock(), kind: kind)
        let subs = subscribers.withLock { $0.list }
        for s in subs { s(event) }
    }
}
