import FacteurCore
import FacteurGuard
import FacteurNet
import Foundation
import NIOCore
import Synchronization

/// Live connections by id, so that the administrator can close one, a ban can close every one
/// from the banned network, a full server can close idle ones to make room, and shutdown can
/// reach all of them.
public final class ConnectionRegistry: Sendable {
    private let connections = Mutex<[ConnectionID: LiveConnection]>([:])
    private let next = Mutex<UInt64>(0)

    public init() {}

    func newID() -> ConnectionID { ConnectionID(next.withLock { v -> UInt64 in v += 1; return v }) }
    func add(_ connection: LiveConnection) { connections.withLock { $0[connection.id] = connection } }
    func remove(_ id: ConnectionID) { _ = connections.withLock { $0.removeValue(forKey: id) } }
    public var count: Int { connections.withLock { $0.count } }
    func all() -> [(ConnectionID, any Channel)] { connections.withLock { $0.values.map { ($0.id, $0.channel) } } }

    /// Closes one connection; false if it is not (or no longer) open.
    @discardableResult
    public func kick(_ id: ConnectionID) -> Bool {
        guard let c = connections.withLock({ $0[id] }) else { return false }
        c.close(.administrator)
        return true
    }

    /// Asks every open connection whose client address satisfies `covered` to say its
    /// protocol's goodbye for `refusal` and close (a ban was made). Returns how many were asked.
    @discardableResult
    func closeAll(refusal: GateRefusal, where covered: (FacteurNet.IPAddress, ServiceKind) -> Bool) -> Int {
        let all = connections.withLock { Array($0.values) }
        let hit = all.filter { c in c.address.map { covered($0, c.service) } ?? false }
        for c in hit { c.close(.banned(refusal)) }
        return hit.count
    }

    /// The server is full: closes the `service` connection idle for longest with nothing at
    /// stake (SMTP: no message under way), so that a new one can have its slot. Its slot is
    /// freed when it is gone. False when there is none.
    func makeRoom(_ service: ServiceKind) -> Bool {
        let victim = connections.withLock { all -> LiveConnection? in
            var best: (LiveConnection, Date)?
            for c in all.values where c.service == service {
                guard let since = c.idleSince, best.map({ since < $0.1 }) ?? true else { continue }
                best = (c, since)
            }
            return best?.0
        }
        guard let victim, victim.claimForEviction() else { return false }
        victim.close(.makeRoom)
        return true
    }
}

/// One open connection as the registry sees it.
final class LiveConnection: Sendable {
    let id: ConnectionID
    let service: ServiceKind
    /// The client's address (behind a PROXY header: the real client's); nil if unparsable.
    let address: FacteurNet.IPAddress?
    let channel: any Channel
    private struct Idle { var since: Date?; var evicted = false }
    private let idle = Mutex(Idle())

    init(info: ConnectionInfo, channel: any Channel) {
        id = info.id; service = info.service; address = FacteurNet.IPAddress(info.remoteAddress); self.channel = channel
    }

    /// Since when the connection has been idle with nothing at stake; nil while busy or once
    /// chosen to make room.
    var idleSince: Date? { idle.withLock { $0.evicted ? nil : $0.since } }

    /// The handler says whether the connection could be closed to make room, from when.
    func setIdle(since: Date?) { idle.withLock { $0.since = since } }

    /// True once: the connection is chosen to make room (not chosen twice).
    func claimForEviction() -> Bool {
        idle.withLock { i in
            guard i.since != nil, !i.evicted else { return false }
            i.evicted = true
            return true
        }
    }

    /// Asks the connection's handler, on its own event loop and never re-entrantly, to close.
    func close(_ reason: CloseRequest) {
        let channel = self.channel
        channel.eventLoop.execute { channel.pipeline.fireUserInboundEventTriggered(reason) }
    }
}

/// Sent down a pipeline to ask its handler to close the connection with its protocol's goodbye
/// (`ConnectRefusal.goodbye`).
enum CloseRequest: Sendable {
    case administrator
    /// A ban now covers the client.
    case banned(GateRefusal)
    /// The server is full and this idle connection gives its slot to a new one.
    case makeRoom
}

/// Sent down a pipeline to ask its handler to close the connection politely (`CloseRequest.administrator`).
struct AdminClose: Sendable {}
/// Sent down a pipeline at shutdown.
struct ServerShutdown: Sendable {}
