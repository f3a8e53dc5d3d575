import FacteurCore
import FacteurStore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import FacteurGuard
import FacteurNet

/// The running mail server: listeners for every configured address, the shared context, and a
/// lifecycle (starting → running → shutting down → stopped). The console and `facteur serve`
/// both drive it through `start()` / `shutdown()`, the event hub and `ServerControl`.
public final class MailServer: Sendable {
    public enum State: Sendable, Equatable { case idle, running, shuttingDown, stopped }

    public let context: ServerContext
    public let group: MultiThreadedEventLoopGroup
    private let ioPool: NIOThreadPool
    private let channels = Mutex<[any Channel]>([])
    private let stateBox = Mutex<State>(.idle)
    /// Listeners that are up: (service, address, tls).
    public let listeners = Mutex<[(ServiceKind, String, Bool)]>([])
    /// Listeners that could not be bound: (service, address, error).
    public let failedListeners = Mutex<[(ServiceKind, String, String)]>([])
    private let refreshTask = Mutex<RepeatedTask?>(nil)
    /// Encoded refusal lines, shared by every listener.
    private let refusals = RefusalReplies()

    public var state: State { stateBox.withLock { $0 } }

    public init(config: Config, database db: FacteurDatabase, hub: EventHub = EventHub(), gate: any ConnectionGate = OpenGate(),
                clock: @escaping @Sendable () -> Date = { Date() }, threads: Int = System.coreCount) throws {
        try MaildirDelivery.mkdirp(config.mailRoot)
        let tls = try TLSProvider.context(config: config)
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(1, threads))
        // Delivery does fsync: enough threads that disks, not threads, are the limit.
        ioPool = NIOThreadPool(numberOfThreads: 8)
        ioPool.start()
        context = try ServerContext(config: config, hub: hub, database: db, gate: gate, ioPool: ioPool, tls: tls, clock: clock)
    }

    /// Binds every listener. Throws (after closing what was bound) if any address cannot be bound.
    /// With `paused`, listeners accept nothing until `resume()` (used to drop privileges first).
    public func start(paused: Bool = false) throws {
        let cfg = context.config
        let removed = context.delivery.cleanTmp()
        if removed > 0 { context.hub.publish(.log(level: .notice, message: "removed \(removed) stale files from Maildir tmp/ folders")) }
        do {
            for addr in cfg.smtpListen.listen {
                try bind(addr, service: .smtp, tls: false, paused: paused, proxy: cfg.smtpListen) { [context] channel, info, admitted in
                    try channel.pipeline.syncOperations.addHandler(SMTPHandler(server: context, info: info, admitted: admitted))
                }
            }
            // IMAP: plain listeners (STARTTLS) and implicit-TLS ones (993).
            let imap = IMAPService(context: context)
            for (addr, implicitTLS) in cfg.imap.listen.map({ ($0, false) }) + cfg.imap.listenTLS.map({ ($0, true) }) {
                try bind(addr, service: .imap, tls: implicitTLS, paused: paused, proxy: cfg.imap) { channel, info, admitted in
                    try imap.initialize(channel, info: info, admitted: admitted)
                }
            }
            // POP3: plain listeners (STLS offered) and implicit-TLS ones (RFC 8314, port 995).
            for warning in context.pop3.configurationWarnings { context.hub.publish(.log(level: .warning, message: warning)) }
            for (addr, implicitTLS) in cfg.pop3.listen.map({ ($0, false) }) + cfg.pop3.listenTLS.map({ ($0, true) }) {
                try bind(addr, service: .pop3, tls: implicitTLS, paused: paused, proxy: cfg.pop3) { [context] channel, info, admitted in
                    try POP3Handler.install(on: channel, server: context, info: info, admitted: admitted)
                }
            }
        } catch {
            stopListeners()
            throw error
        }
        // IMAP sessions in IDLE hear of SMTP deliveries at once.
        DeliverySync.start(context)
        stateBox.withLock { $0 = .running }
        let task = group.next().scheduleRepeatedTask(initialDelay: .seconds(5), delay: .seconds(5)) { [context] _ in
            try? context.reloadDirectory()
        }
        refreshTask.withLock { $0 = task }
    }

    /// Starts accepting on listeners bound with `paused: true`.
    public func resume() {
        for ch in channels.withLock({ $0 }) {
            ch.setOption(ChannelOptions.autoRead, value: true).whenSuccess { ch.read() }
        }
    }

    /// Builds the protocol pipeline; `admitted` says whether the guard has already let the
    /// connection in (otherwise the protocol handler asks it).
    typealias Initializer = @Sendable (any Channel, ConnectionInfo, _ admitted: Bool) throws -> Void

    private func bind(_ addr: ListenAddress, service: ServiceKind, tls: Bool, paused: Bool, proxy: Config.Service? = nil,
                      initializer: @escaping Initializer) throws {
        let ctx = context
        let local = addr.description
        // PROXY protocol: the real client address comes from the header sent by a trusted proxy.
        let trusted: [IPNetwork]? = try proxy.flatMap { svc in
            guard svc.proxyProtocol else { return nil }
            return try svc.trustedProxies.map { text in
                guard let n = IPNetwork(text) else {
                    throw ConfigError(file: ctx.config.source ?? "configuration", line: nil,
                                      message: "trusted_proxies: '\(text)' is not an IP address or CIDR network")
                }
                return n
            }
        }
        // Every listener asks the guard as soon as a connection is accepted (behind a PROXY
        // header: once the header has given the real address). A refused address gets its one
        // line from a minimal pipeline (`RefusalHandler`), without protocol handler, session,
        // codecs or registry entry; behind implicit TLS, inside the TLS session.
        let refusals = self.refusals
        let admit: @Sendable (any Channel, ConnectionInfo) throws -> Void = { channel, info in
            if let refusal = ConnectionLifecycle.admission(ctx, info) {
                ctx.hub.publish(ConnectRefusal.event(info, refusal))
                let pipeline = channel.pipeline.syncOperations
                if tls {
                    guard let context = ctx.tls else { throw ChannelError.inappropriateOperationForState }
                    try pipeline.addHandler(NIOSSLServerHandler(context: context))
                }
                try pipeline.addHandler(RefusalHandler(reply: refusals.bytes(service, refusal), afterTLSHandshake: tls))
                return
            }
            do {
                try initializer(channel, info, true)
            } catch {
                ctx.gate.connectionClosed(remoteAddress: info.remoteAddress, service: service, connection: info.id)
                throw error
            }
        }
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 1024)
            // Under a flood, accept several connections per wake-up of the listening socket.
            .serverChannelOption(ChannelOptions.maxMessagesPerRead, value: 16)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(ChannelOptions.autoRead, value: !paused)
            .childChannelOption(ChannelOptions.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(ChannelOptions.maxMessagesPerRead, value: 4)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let remote = channel.remoteAddress
                    let info = ConnectionInfo(id: ctx.registry.newID(), service: service,
                                              remoteAddress: remote?.ipAddress ?? "?", remotePort: remote?.port ?? 0,
                                              localAddress: local, tls: tls, opened: ctx.clock())
                    if let trusted {
                        try channel.pipeline.syncOperations.addHandler(
                            ProxyProtocolHandler(trusted: trusted, info: info, hub: ctx.hub) { ch, real in try admit(ch, real) })
                    } else {
                        try admit(channel, info)
                    }
                }
            }
        let channel: any Channel
        do {
            channel = try bootstrap.bind(host: addr.host, port: addr.port).wait()
        } catch {
            context.hub.publish(.listenerFailed(service: service, address: local, error: "\(error)"))
            failedListeners.withLock { $0.append((service, local, "\(error)")) }
            throw ListenError(service: service, address: local, underlying: "\(error)")
        }
        channels.withLock { $0.append(channel) }
        let boundText = channel.localAddress.map { a in
            (a.ipAddress ?? addr.host).contains(":") ? "[\(a.ipAddress ?? addr.host)]:\(a.port ?? addr.port)" : "\(a.ipAddress ?? addr.host):\(a.port ?? addr.port)"
        } ?? local
        listeners.withLock { $0.append((service, boundText, tls)) }
        context.hub.publish(.listenerStarted(service: service, address: boundText, tls: tls))
    }

    /// The actual bound addresses (useful with port 0 in tests).
    public func boundAddresses(_ service: ServiceKind) -> [String] {
        listeners.withLock { $0.filter { $0.0 == service }.map { $0.1 } }
    }

    private func stopListeners() {
        let chs = channels.withLock { c -> [any Channel] in let x = c; c = []; return x }
        for ch in chs { try? ch.close().wait() }
    }

    /// Stops accepting, lets messages in flight finish (or get 421 after a grace period),
    /// closes every connection, and stops the threads.
    public func shutdown(timeout: TimeAmount = .seconds(35)) {
        let proceed = stateBox.withLock { s -> Bool in
            guard s == .running || s == .idle else { return false }
            s = .shuttingDown
            return true
        }
        guard proceed else { return }
        refreshTask.withLock { $0?.cancel(); $0 = nil }
        stopListeners()
        for (_, ch) in context.registry.all() { ch.pipeline.fireUserInboundEventTriggered(ServerShutdown()) }
        let deadline = NIODeadline.now() + timeout
        while context.registry.count > 0 && NIODeadline.now() < deadline { usleep(20_000) }
        for (_, ch) in context.registry.all() { ch.close(promise: nil) }
        try? ioPool.syncShutdownGracefully()
        try? group.syncShutdownGracefully()
        stateBox.withLock { $0 = .stopped }
    }
}

public struct ListenError: Error, CustomStringConvertible {
    public var service: ServiceKind
    public var address: String
    public var underlying: String
    public var description: String { "cannot listen for \(service.rawValue.uppercased()) on \(address): \(underlying)" }
}
