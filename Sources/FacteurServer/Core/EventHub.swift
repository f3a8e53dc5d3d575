import FacteurCore
import Foundation
import Synchronization

/// The one event stream out of the server. Subscribers are called synchronously on the thread
/// that publishes and must not block: the console copies into its own bounded queue, the log
/// formats a line. The server never waits for a consumer.
public final class EventHub: Sendable {
    public typealias Subscriber = @Sendable (ServerEvent) -> Void
    private let subscribers = Mutex<[UInt64: Subscriber]>([:])
    private let nextID = Mutex<UInt64>(0)
    let clock: @Sendable () -> Date

    public init(clock: @escaping @Sendable () -> Date = { Date() }) { self.clock = clock }

    @discardableResult
    public func subscribe(_ s: @escaping Subscriber) -> UInt64 {
        let id = nextID.withLock { v -> UInt64 in v += 1; return v }
        subscribers.withLock { $0[id] = s }
        return id
    }

    public func unsubscribe(_ id: UInt64) { _ = subscribers.withLock { $0.removeValue(forKey: id) } }

    public func publish(_ kind: ServerEvent.Kind) {
        let event = ServerEvent(time: clock(), kind: kind)
        let subs = subscribers.withLock { Array($0.values) }
        for s in subs { s(event) }
    }
}
