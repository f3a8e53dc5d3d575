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
public final class Runtime: Sendable {
    public let config: Config
    public let hub: EventHub
    public let server: MailServer
    public let clock: @Sendable () -> Date
    private let control = Mutex<(any Channel)?>(nil)
    /// When the server started (the control protocol's hello, the consoles' uptime).
    public let started: Date
    /// What consoles see on attach, and the fan-out of events to them.
    public let recorder: ActivityRecorder
    /// Every control command goes through it.
    public let controlService: ControlService

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
        started = clock()
        recorder = ActivityRecorder(startTime: started, bans: guardKeeper.bans)
        controlService = ControlService(config: config, hub: hub, guardKeeper: guardKeeper, server: server)
        hub.subscribe(recorder.record)
        // A ban cuts the connections it covers that are already open, on every service.
        hub.subscribe { [guardKeeper, registry = server.context.registry] event in
            if case .banned(let ban) = event.kind { guardKeeper.closeConnections(coveredBy: ban, in: registry) }
        }
    }

    /// Called when a control client asks the server to stop (`facteur serve` ends gracefully).
    public func onShutdownRequest(_ handler: @escaping @Sendable () -> Void) { controlService.onShutdownRequest(handler) }

    public var database: FacteurDatabase { server.context.database }

    /// Two-letter country of an address from the GeoIP database, if one is configured.
    public func country(of address: String) -> String? { guardKeeper.country(of: address) }

    /// Binds every listener, drops privileges when started as root, then starts accepting.
    public func start() throws {
        let hello = ServerHello(pid: getpid(), started: started, serverVersion: FacteurCoreVersion.string, showBodies: config.console.showBodies)
        let ch = try ControlServer.bind(path: config.controlSocketPath, group: server.group, service: controlService,
                                        recorder: recorder, hello: hello)
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
