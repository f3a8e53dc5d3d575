import FacteurCore
import Foundation
import NIOCore
import NIOSSL

/// The life of one client connection at the edge, the same for SMTP, IMAP and POP3:
/// admission (unless the listener already admitted it), the refusal line, the registry entry
/// (through which a ban, the administrator or a full server closes it), the opened and closed
/// events, byte counts, writing, flushing and closing once the last line is out.
///
/// Owned by the protocol handler and used on its event loop only.
final class ConnectionLifecycle {
    enum Phase { case new, refused, open, closed }

    let server: ServerContext
    var info: ConnectionInfo
    /// The listener's guard check let the connection in (otherwise `open` asks).
    let admitted: Bool
    private(set) var phase = Phase.new
    private(set) var live: LiveConnection?
    /// The last line is written or the channel is gone: no more input is handled.
    var closing = false
    var bytesIn: UInt64 = 0
    var bytesOut: UInt64 = 0
    private var wroteSinceFlush = false

    init(server: ServerContext, info: ConnectionInfo, admitted: Bool) {
        self.server = server
        self.info = info
        self.admitted = admitted
    }

    var started: Bool { phase != .new }
    var refused: Bool { phase == .refused }

    /// Admits, registers and announces the connection. False when it is refused: its line is
    /// written and it closes; a refused connection is not a live one (the Rejections panel
    /// shows it, not Connections).
    func open(_ context: ChannelHandlerContext) -> Bool {
        guard phase == .new else { return false }
        if !admitted, let refusal = Self.admission(server, info) {
            phase = .refused
            refuse(refusal, context)
            return false
        }
        phase = .open
        let entry = LiveConnection(info: info, channel: context.channel)
        live = entry
        server.registry.add(entry)
        server.hub.publish(.connectionOpened(info))
        return true
    }

    /// The guard's answer to a new connection (nil: admitted), the same for every listener kind
    /// (plain, implicit TLS, behind PROXY). A full SMTP server closes the connection idle for
    /// longest outside a message and lets the new one have its slot (a sending server that
    /// waits for its greeting must not be locked out by idle ones).
    static func admission(_ server: ServerContext, _ info: ConnectionInfo) -> GateRefusal? {
        guard let refusal = server.gate.admit(remoteAddress: info.remoteAddress, service: info.service, connection: info.id) else {
            return nil
        }
        guard refusal.rule == "total-connections", info.service == .smtp, server.registry.makeRoom(.smtp) else { return refusal }
        server.gate.admitInPlaceOfEvicted(remoteAddress: info.remoteAddress, service: info.service, connection: info.id)
        return nil
    }

    /// Refuses an open connection or a new one (the guard's slow checks): the line, then close.
    func refuse(_ refusal: GateRefusal, _ context: ChannelHandlerContext) {
        server.hub.publish(ConnectRefusal.event(info, refusal))
        write(context, string: ConnectRefusal.text(info.service, refusal))
        closeAfterFlush(context)
    }

    /// The channel is gone: the registry, the guard and the event stream hear of it, once.
    func closed() {
        closing = true
        guard phase == .open else { return }
        phase = .closed
        server.registry.remove(info.id)
        server.gate.connectionClosed(remoteAddress: info.remoteAddress, service: info.service, connection: info.id)
        server.hub.publish(.connectionClosed(id: info.id, bytesIn: bytesIn, bytesOut: bytesOut))
    }

    /// The request an inbound user event carries, if it asks the connection to close.
    static func closeRequest(_ event: Any) -> CloseRequest? {
        if let request = event as? CloseRequest { return request }
        if event is AdminClose { return .administrator }
        return nil
    }

    /// Says the protocol's goodbye for `request` (unless `silently`: the middle of a reply is
    /// already out) and closes. A ban is also published as a refusal of this connection.
    func close(for request: CloseRequest, silently: Bool = false, _ context: ChannelHandlerContext) {
        guard !closing else { return }
        switch request {
        case .banned(let refusal):
            server.hub.publish(ConnectRefusal.event(info, refusal))
        case .makeRoom:
            server.hub.publish(.rejected(Rejection(connection: info.id, service: info.service, remoteAddress: info.remoteAddress,
                                                   rule: "total-connections", reason: "idle connection closed to make room")))
        case .administrator:
            break
        }
        if !silently { write(context, string: ConnectRefusal.goodbye(info.service, request)) }
        closeAfterFlush(context)
    }

    /// An error on this connection: logged (a client dropping TLS without close_notify is common
    /// and harmless: debug level) and the connection closed. It never reaches another connection.
    func fail(_ error: Error, _ context: ChannelHandlerContext) {
        let level: LogLevel = (error as? NIOSSLError) == .uncleanShutdown ? .debug : .info
        server.hub.publish(.log(level: level, message: "\(info.service.rawValue) \(info.remoteAddress) \(info.id): \(error)"))
        closing = true
        context.close(promise: nil)
    }

    /// Whether a full server may close this connection to make room, and since when it may.
    func setIdle(since: Date?) {
        live?.setIdle(since: since)
    }

    // MARK: Writing

    func write(_ context: ChannelHandlerContext, _ buffer: ByteBuffer) {
        bytesOut += UInt64(buffer.readableBytes)
        context.write(NIOAny(buffer), promise: nil)
        wroteSinceFlush = true
    }

    func write(_ context: ChannelHandlerContext, string: String) {
        var buffer = context.channel.allocator.buffer(capacity: string.utf8.count)
        buffer.writeString(string)
        write(context, buffer)
    }

    func write(_ context: ChannelHandlerContext, bytes: [UInt8]) {
        write(context, context.channel.allocator.buffer(bytes: bytes))
    }

    /// Writes `buffer` and everything before it now; the future says when it is on the socket.
    func writeAndFlush(_ context: ChannelHandlerContext, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        bytesOut += UInt64(buffer.readableBytes)
        wroteSinceFlush = false
        return context.writeAndFlush(NIOAny(buffer))
    }

    func flushIfNeeded(_ context: ChannelHandlerContext) {
        if wroteSinceFlush {
            wroteSinceFlush = false
            context.flush()
        }
    }

    /// Everything written goes out, then the channel closes (the client sees the last line;
    /// no reset).
    func closeAfterFlush(_ context: ChannelHandlerContext) {
        closing = true
        wroteSinceFlush = false
        let channel = context.channel
        context.writeAndFlush(NIOAny(ByteBuffer())).whenComplete { _ in
            channel.close(promise: nil)
        }
    }
}
