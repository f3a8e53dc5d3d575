import FacteurCore
import Foundation
import NIOCore
import NIOPosix
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One connection on the admin control socket (docs/control-protocol.md): the kernel says who
/// the peer is (only the server's own user and root are served), the server says hello with
/// its protocol version, pid and start time, the client answers with its version, then
/// requests come in frames and replies, snapshots and events go out in frames.
final class ControlSessionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum Phase { case checkingPeer, awaitingHello, ready, closed }

    private let service: ControlService
    private let recorder: ActivityRecorder
    private let hello: ServerHello
    private let inFlight: RequestCounter
    private var phase = Phase.checkingPeer
    private var decoder = ControlFrame.Decoder(limit: ControlLimits.clientFrameBytes)
    private var peer: PeerIdentity?
    private var feed: ConsoleFeedWriter?
    private var helloTimeout: Scheduled<Void>?
    private var watching = false

    init(service: ControlService, recorder: ActivityRecorder, hello: ServerHello) {
        self.service = service
        self.recorder = recorder
        self.hello = hello
        self.inFlight = RequestCounter()
    }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        PeerIdentity.of(channel).assumeIsolated().whenComplete { [self] result in
            guard phase == .checkingPeer else { return }
            switch result {
            case let .success(p) where p.isPermitted:
                peer = p
                phase = .awaitingHello
                send(.hello(hello), on: channel)
                helloTimeout = channel.eventLoop.scheduleTask(in: .seconds(ControlLimits.helloTimeoutSeconds)) {
                    channel.close(promise: nil)
                }
                process(channel: channel)
            case let .success(p):
                service.hub.publish(.log(level: .warning, message: "control: refused \(p): only \(PeerIdentity(uid: geteuid(), pid: 0).userName) and root may use the control socket"))
                refuse("permission denied: only the user the server runs as, and root, may use the control socket", on: channel)
            case .failure:
                refuse("cannot identify the peer of the control socket", on: channel)
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        decoder.append(bytes.readableBytesView)
        process(channel: context.channel)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { feed?.writable() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        phase = .closed
        helloTimeout?.cancel()
        feed?.stop()
        feed = nil
        if let peer, watching { service.hub.publish(.log(level: .info, message: "control: console of \(peer) detached")) }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }

    /// Handles every complete frame received so far (once the peer is known).
    private func process(channel: any Channel) {
        while phase == .awaitingHello || phase == .ready {
            let payload: [UInt8]
            do {
                guard let p = try decoder.next() else { return }
                payload = p
            } catch {
                refuse("\(error)", on: channel)
                return
            }
            if phase == .awaitingHello { receiveHello(payload, on: channel) } else { receiveRequest(payload, on: channel) }
        }
    }

    private func receiveHello(_ payload: [UInt8], on channel: any Channel) {
        helloTimeout?.cancel()
        guard let (name, version) = ControlCodec.helloVersion(from: payload), name == ControlProtocol.name else {
            refuse("expected a \(ControlProtocol.name) hello (is this a Facteur control client?)", on: channel)
            return
        }
        guard version == ControlProtocol.version else {
            refuse("this server (pid \(hello.pid), Facteur \(hello.serverVersion)) speaks control protocol \(ControlProtocol.version), the client speaks \(version): use the facteur binary that matches the running server", on: channel)
            return
        }
        phase = .ready
    }

    private func receiveRequest(_ payload: [UInt8], on channel: any Channel) {
        let message: ClientMessage
        do { message = try ControlCodec.decode(ClientMessage.self, from: payload) } catch {
            refuse(error.description, on: channel)
            return
        }
        guard case let .request(id, command) = message, let peer else {
            refuse("hello sent twice", on: channel)
            return
        }
        guard inFlight.increment() <= ControlLimits.requestsInFlight else {
            inFlight.decrement()
            send(.reply(id: id, reply: .failure("too many requests in progress (at most \(ControlLimits.requestsInFlight))")), on: channel)
            return
        }
        if command == .watch {
            if let feed {
                feed.resnapshot()
            } else {
                watching = true
                let writer = ConsoleFeedWriter(channel: channel, recorder: recorder, service: service)
                feed = writer
                writer.start()
            }
        }
        Self.run(command, id: id, from: peer, service: service, counter: inFlight, channel: channel)
    }

    /// Off the event loop: a command may hash a password or scan Maildirs.
    private static func run(_ command: ControlCommand, id: UInt64, from peer: PeerIdentity, service: ControlService,
                            counter: RequestCounter, channel: any Channel) {
        Task {
            let reply = await service.handle(command, from: peer)
            counter.decrement()
            write(.reply(id: id, reply: reply), to: channel)
        }
    }

    private func refuse(_ reason: String, on channel: any Channel) {
        phase = .closed
        Self.write(.refused(reason: reason), to: channel)
        channel.close(promise: nil)
    }

    private func send(_ message: ServerMessage, on channel: any Channel) { Self.write(message, to: channel) }

    static func write(_ message: ServerMessage, to channel: any Channel) {
        guard let frame = try? ControlCodec.frame(message) else { return }
        channel.writeAndFlush(ByteBuffer(bytes: frame), promise: nil)
    }
}

/// Requests of one connection in progress.
final class RequestCounter: Sendable {
    private let value = Atomic<Int>(0)
    @discardableResult func increment() -> Int { value.wrappingAdd(1, ordering: .relaxed).newValue }
    func decrement() { value.wrappingSubtract(1, ordering: .relaxed) }
}

enum ControlServer {
    /// Binds the control socket, owner-only (0600, in a data folder that is 0700). A socket left
    /// by a crash is replaced; one that answers means another server runs on this data folder.
    static func bind(path: String, group: any EventLoopGroup, service: ControlService, recorder: ActivityRecorder,
                     hello: ServerHello) throws -> any Channel {
        if FileManager.default.fileExists(atPath: path) {
            if let other = try? ControlConnection(path: path, client: "probe", timeout: 2) {
                let pid = other.hello.pid
                other.close()
                throw ControlSocketInUse(path: path, pid: pid)
            }
            unlink(path)
        }
        let old = umask(0o177)
        defer { umask(old) }
        let channel = try ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: Int32(ControlLimits.connections))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ControlSessionHandler(service: service, recorder: recorder, hello: hello))
                }
            }
            .bind(unixDomainSocketPath: path).wait()
        chmod(path, 0o600)
        return channel
    }
}

public struct ControlSocketInUse: Error, CustomStringConvertible {
    public var path: String
    public var pid: Int32
    public var description: String { "another Facteur server (pid \(pid)) is already running with this data folder (control socket \(path)); `facteur console` attaches to it" }
}
