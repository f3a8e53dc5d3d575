import FacteurCore
import FacteurStore
import Foundation
import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Everything one Facteur process runs: the mail server, the guard, the control socket.
/// `facteur serve` and `facteur console` both build one.
public final class Runtime: ServerCommands {
    public let config: Config
    public let hub: EventHub
    public let server: MailServer
    public let clock: @Sendable () -> Date
    private let control = Mutex<(any Channel)?>(nil)

    public init(config: Config, clock: @escaping @Sendable () -> Date = { Date() }) throws {
        self.config = config
        self.clock = clock
        hub = EventHub(clock: clock)
        server = try MailServer(config: config, hub: hub, gate: OpenGate(), clock: clock)
    }

    public var database: FacteurDatabase { server.context.database }

    /// Two-letter country of an address from the GeoIP database, if one is configured.
    public func country(of address: String) -> String? { nil }

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
    }

    public func shutdown() {
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
            return ControlResponse(ok: true, message: "running, \(server.context.registry.count) connections")
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
