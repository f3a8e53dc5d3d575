import FacteurCollect
import FacteurCore
import FacteurStore
import Foundation
import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
import FacteurMIME
#endif

/// Everything one Facteur process runs: the mail server, the guard, the control socket.
/// `facteur serve` and `facteur console` both build one.
public final class Runtime: ServerCommands {
    public let config: Config
    public let hub: EventHub
    public let server: MailServer
    public let clock: @Sendable () -> Date
    private let control = Mutex<(any Channel)?>(nil)

    public let guardKeeper: GuardKeeper
    private let timers = Mutex<[RepeatedTask]>([])
    private let collectScheduler = Mutex<CollectScheduler?>(nil)

    public init(config: Config, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.config = config
        self.clock = clock
        hub = EventHub(clock: clock)
        try MaildirDelivery.mkdirp(config.dataDir)
        let db = try FacteurDatabase(path: config.databasePath)
        guardKeeper = try GuardKeeper(config: config, database: db, hub: hub, clock: clock)
        server = try MailServer(config: config, database: db, hub: hub, gate: guardKeeper, clock: clock)
        // A ban cuts the connections it covers that are already open, on every service.
        hub.subscribe { [guardKeeper, registry = server.context.registry] event in
            if case .banned(let ban) = event.kind { guardKeeper.closeConnections(coveredBy: ban, in: registry) }
        }
    }

    public var database: FacteurDatabase { server.context.database }

    /// Two-letter country of an address from the GeoIP database, if one is configured.
    public func country(of address: String) -> String? { guardKeeper.country(of: address) }

    /// Binds every listener, drops privileges when started as root, then starts accepting.
    public func start() throws {
        let ch = try ControlServer.bind(path: config.controlSocketPath, group: server.group, commands: self)
        control.withLock { $0 = ch }
        do { try server.start(paused: true) } catch {
            try? ch.close().wait()
            unlink(config.controlSocketPath)
            throw error
        }
        if getuid() == 0, let user = config.user {
            try Privileges.drop(to: user, owning: config.dataDir)
            hub.publish(.log(level: .notice, message: "running as \(user) after binding the listeners"))
        }
        server.resume()
        let loop = server.group.next()
        let g = guardKeeper
        let t1 = loop.scheduleRepeatedTask(initialDelay: .seconds(1), delay: .seconds(1)) { _ in g.expire() }
        let t2 = loop.scheduleRepeatedTask(initialDelay: .seconds(5), delay: .seconds(5)) { _ in g.reloadListsIfChanged() }
        let t3 = loop.scheduleRepeatedTask(initialDelay: .seconds(10), delay: .seconds(10)) { _ in g.flushHits() }
        let t4 = loop.scheduleRepeatedTask(initialDelay: .seconds(5), delay: .seconds(5)) { _ in g.retryUnsavedBans() }
        let storage = server.context.storage
        storage.check()
        let t5 = loop.scheduleRepeatedTask(initialDelay: .seconds(5), delay: .seconds(5)) { _ in storage.check() }
        timers.withLock { $0 = [t1, t2, t3, t4, t5] }
        if !config.collect.isEmpty {
            let scheduler = CollectScheduler(context: server.context, group: server.group, clock: clock)
            collectScheduler.withLock { $0 = scheduler }
            scheduler.start()
        }
    }

    public func shutdown() {
        for t in timers.withLock({ t -> [RepeatedTask] in let x = t; t = []; return x }) { t.cancel() }
        collectScheduler.withLock { s -> CollectScheduler? in let x = s; s = nil; return x }?.stop()
        guardKeeper.flush()
        if let ch = control.withLock({ c -> (any Channel)? in let x = c; c = nil; return x }) {
            try? ch.close().wait()
            unlink(config.controlSocketPath)
        }
        server.shutdown()
    }

    // MARK: Commands (control socket, console)

    public func handle(_ request: ControlRequest) -> ControlResponse {
        switch request.command {
        case "status":
            let disk = server.context.storage.status.map { $0.full ? ", disk full (\($0.freeBytes) bytes free)" : "" } ?? ""
            return ControlResponse(ok: true, message: "running, \(server.context.registry.count) connections" + disk)
        case "reload":
            do {
                try server.context.reloadDirectory()
                return ControlResponse(ok: true, message: "users and aliases reloaded")
            } catch {
                return ControlResponse(ok: false, message: "reload failed: \(error)")
            }
        case "kick":
            guard let id = request.connection else { return ControlResponse(ok: false, message: "kick needs a connection id") }
            let ok = server.context.registry.kick(ConnectionID(id))
            return ControlResponse(ok: ok, message: ok ? "closing connection #\(id)" : "no connection #\(id)")
        case "bans":
            return ControlResponse(ok: true, message: "\(guardKeeper.bans.count) bans", bans: guardKeeper.bans)
        case "ban":
            guard let net = request.network else { return ControlResponse(ok: false, message: "ban needs an address or network") }
            switch guardKeeper.ban(network: net, duration: request.duration, permanent: request.permanent ?? false,
                                   reason: request.reason ?? "banned by the administrator") {
            case .success(let b):
                return ControlResponse(ok: true, message: "banned \(b.network) \(b.expires.map { "until \(RFC5322Date.format($0))" } ?? "permanently")", bans: [b])
            case .failure(let e): return ControlResponse(ok: false, message: e.description)
            }
        case "unban":
            guard let net = request.network else { return ControlResponse(ok: false, message: "unban needs an address or network") }
            switch guardKeeper.unban(network: net) {
            case .success(let lifted): return ControlResponse(ok: true, message: "unbanned \(lifted.map(\.network).joined(separator: ", "))", bans: lifted)
            case .failure(let e): return ControlResponse(ok: false, message: e.description)
            }
        case "extend":
            guard let net = request.network, let d = request.duration else { return ControlResponse(ok: false, message: "extend needs a network and a duration") }
            switch guardKeeper.extend(network: net, by: d) {
            case .success(let b): return ControlResponse(ok: true, message: "extended \(b.network) \(b.expires.map { "until \(RFC5322Date.format($0))" } ?? "")", bans: [b])
            case .failure(let e): return ControlResponse(ok: false, message: e.description)
            }
        case "permanent":
            guard let net = request.network else { return ControlResponse(ok: false, message: "permanent needs a network") }
            switch guardKeeper.makePermanent(network: net) {
            case .success(let b): return ControlResponse(ok: true, message: "\(b.network) is banned permanently", bans: [b])
            case .failure(let e): return ControlResponse(ok: false, message: e.description)
            }
        case "allow":
            guard let net = request.network else { return ControlResponse(ok: false, message: "allow needs an address or network") }
            switch guardKeeper.allow(network: net) {
            case .success(let lifted):
                return ControlResponse(ok: true, message: "\(net) will never be banned" + (lifted.isEmpty ? "" : "; lifted \(lifted.map(\.network).joined(separator: ", "))"), bans: lifted)
            case .failure(let e): return ControlResponse(ok: false, message: e.description)
            }
        default:
            return ControlResponse(ok: false, message: "unknown command '\(request.command)'")
        }
    }
}

/// Dropping root after binding privileged ports.
public enum Privileges {
    public struct Failure: Error, CustomStringConvertible { public var description: String }

    public static func drop(to user: String, owning dataDir: String) throws {
        guard let pw = getpwnam(user) else { throw Failure(description: "no such user '\(user)' (config key 'user')") }
        let uid = pw.pointee.pw_uid, gid = pw.pointee.pw_gid
        chownTree(dataDir, uid: uid, gid: gid)
        guard initgroups(user, gid) == 0, setgid(gid) == 0, setuid(uid) == 0 else {
            throw Failure(description: "cannot switch to user '\(user)': \(String(cString: strerror(errno)))")
        }
        guard setuid(0) != 0 else { throw Failure(description: "privileges were not dropped") }
    }

    static func chownTree(_ path: String, uid: uid_t, gid: gid_t) {
        chown(path, uid, gid)
        guard let e = FileManager.default.enumerator(atPath: path) else { return }
        while let sub = e.nextObject() as? String { lchown(path + "/" + sub, uid, gid) }
    }
}
