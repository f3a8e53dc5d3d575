import FacteurCore
import NIOCore
import Synchronization

/// Live connections by id, so that the admin can close one and shutdown can reach all of them.
public final class ConnectionRegistry: Sendable {
    private let channels = Mutex<[ConnectionID: any Channel]>([:])
    private let next = Mutex<UInt64>(0)

    public init() {}

    func newID() -> ConnectionID { ConnectionID(next.withLock { v -> UInt64 in v += 1; return v }) }
    func add(_ id: ConnectionID, _ channel: any Channel) { channels.withLock { $0[id] = channel } }
    func remove(_ id: ConnectionID) { _ = channels.withLock { $0.removeValue(forKey: id) } }
    public var count: Int { channels.withLock { $0.count } }
    func all() -> [(ConnectionID, any Channel)] { channels.withLock { Array($0) } }

    /// Closes one connection; false if it is not (or no longer) open.
    @discardableResult
    public func kick(_ id: ConnectionID) -> Bool {
        guard let ch = channels.withLock({ $0[id] }) else { return false }
        ch.pipeline.fireUserInboundEventTriggered(AdminClose())
        return true
    }
}

/// Sent down a pipeline to ask its handler to close the connection politely.
struct AdminClose: Sendable {}
/// Sent down a pipeline at shutdown.
struct ServerShutdown: Sendable {}
