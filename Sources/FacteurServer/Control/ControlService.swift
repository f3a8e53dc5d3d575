import FacteurCore
import FacteurMIME
import FacteurRouter
import FacteurStore
import Foundation
import Synchronization

/// Carries out control commands on the running server. Every command, from the console, the
/// command-line tools or a test, comes through `handle`, and is logged with the Unix user who
/// sent it. Runs off the event loops (commands may hash a password or scan Maildirs).
public final class ControlService: Sendable {
    let config: Config
    let hub: EventHub
    let guardKeeper: GuardKeeper
    let server: MailServer
    let browser: MaildirBrowser
    private let checklist = Mutex<[RouterCheckLine]?>(nil)
    private let shutdownHandler = Mutex<(@Sendable () -> Void)?>(nil)

    init(config: Config, hub: EventHub, guardKeeper: GuardKeeper, server: MailServer) {
        self.config = config; self.hub = hub; self.guardKeeper = guardKeeper; self.server = server
        browser = MaildirBrowser(mailRoot: config.mailRoot)
    }

    func onShutdownRequest(_ handler: @escaping @Sendable () -> Void) { shutdownHandler.withLock { $0 = handler } }

    var lastChecklist: [RouterCheckLine]? { checklist.withLock { $0 } }

    var listeners: [ListenerStatus] {
        server.listeners.withLock { $0 }.map { ListenerStatus(service: $0.0, address: $0.1, tls: $0.2) }
            + server.failedListeners.withLock { $0 }.map { ListenerStatus(service: $0.0, address: $0.1, tls: false, error: $0.2) }
    }

    public func handle(_ command: ControlCommand, from peer: PeerIdentity) async -> ControlReply {
        // Reading is not worth a log line each time; every change and every attach is.
        switch command {
        case .status, .listeners, .bans, .users, .folders, .messages, .deletionNotice: break
        default: hub.publish(.log(level: .notice, message: "control: \(peer) \(command.logDescription)"))
        }
        return await execute(command)
    }

    private func execute(_ command: ControlCommand) async -> ControlReply {
        let context = server.context
        switch command {
        case .status:
            let disk = context.storage.status.map { $0.full ? ", disk full (\($0.freeBytes) bytes free)" : "" } ?? ""
            return ControlReply(ok: true, message: "running, \(context.registry.count) connections" + disk)
        case .watch:
            return ControlReply(ok: true, message: "watching")
        case .listeners:
            return ControlReply(ok: true, message: "\(listeners.count) listeners", listeners: listeners)
        case .reload:
            do {
                try context.reloadDirectory()
                return ControlReply(ok: true, message: "users and aliases reloaded")
            } catch { return .failure("reload failed: \(error)") }
        case let .kick(id):
            let ok = context.registry.kick(ConnectionID(id))
            return ControlReply(ok: ok, message: ok ? "closing connection #\(id)" : "no connection #\(id)")
        case .bans:
            let bans = guardKeeper.bans
            return ControlReply(ok: true, message: "\(bans.count) bans", bans: bans)
        case let .ban(network, duration, permanent, reason):
            switch guardKeeper.ban(network: network, duration: duration, permanent: permanent, reason: reason ?? "banned by the administrator") {
            case .success(let b):
                return ControlReply(ok: true, message: "banned \(b.network) \(b.expires.map { "until \(RFC5322Date.format($0))" } ?? "permanently")", bans: [b])
            case .failure(let e): return .failure(e.description)
            }
        case let .unban(network):
            switch guardKeeper.unban(network: network) {
            case .success(let lifted): return ControlReply(ok: true, message: "unbanned \(lifted.map(\.network).joined(separator: ", "))", bans: lifted)
            case .failure(let e): return .failure(e.description)
            }
        case let .extend(network, duration):
            switch guardKeeper.extend(network: network, by: duration) {
            case .success(let b): return ControlReply(ok: true, message: "extended \(b.network) \(b.expires.map { "until \(RFC5322Date.format($0))" } ?? "")", bans: [b])
            case .failure(let e): return .failure(e.description)
            }
        case let .permanent(network):
            switch guardKeeper.makePermanent(network: network) {
            case .success(let b): return ControlReply(ok: true, message: "\(b.network) is banned permanently", bans: [b])
            case .failure(let e): return .failure(e.description)
            }
        case let .allow(network):
            switch guardKeeper.allow(network: network) {
            case .success(let lifted):
                return ControlReply(ok: true, message: "\(network) will never be banned" + (lifted.isEmpty ? "" : "; lifted \(lifted.map(\.network).joined(separator: ", "))"), bans: lifted)
            case .failure(let e): return .failure(e.description)
            }
        case .users:
            do {
                let users = try server.context.database.users().map { u in
                    let f = browser.folders(of: u.address)
                    let limit = server.context.quotas.limit(of: u.address)
                    return MailboxUserSummary(address: u.address, folders: f.count, messages: f.reduce(0) { $0 + $1.messages },
                                              unread: f.reduce(0) { $0 + $1.unread }, size: f.reduce(0) { $0 + $1.size },
                                              quotaBytes: limit.bytes, quotaMessages: limit.messages)
                }
                return ControlReply(ok: true, message: "\(users.count) users", users: users)
            } catch { return .failure("\(error)") }
        case let .folders(user):
            let folders = browser.folders(of: user)
            return ControlReply(ok: true, message: "\(folders.count) folders", folders: folders)
        case let .messages(user, folder):
            let messages = browser.messages(of: user, folder: folder)
            return ControlReply(ok: true, message: "\(messages.count) messages", messages: messages)
        case let .message(user, folder, id):
            do {
                let raw = try browser.raw(of: user, folder: folder, id: id)
                let cut = raw.count > ControlLimits.messageBytes
                return ControlReply(ok: true, message: cut ? "first \(ControlLimits.messageBytes) of \(raw.count) bytes" : "\(raw.count) bytes",
                                    raw: Data(raw.prefix(ControlLimits.messageBytes)))
            } catch { return .failure("\(error)") }
        case let .addUser(address, password):
            do {
                let (l, d) = try LocalAddress.validate(address, domains: config.domains)
                let owner = "\(l)@\(d)"
                try server.context.database.addUser(owner, passwordHash: try PasswordHasher.hash(password))
                try context.delivery.ensureMaildir(owner: owner)
                try context.mailStore.ensureUser(owner)
                try context.reloadDirectory()
                return ControlReply(ok: true, message: "Created \(owner).")
            } catch { return .failure("\(error)") }
        case let .setPassword(user, password):
            do {
                try server.context.database.setPasswordHash(user, try PasswordHasher.hash(password))
                return ControlReply(ok: true, message: "Password changed for \(user).")
            } catch { return .failure("\(error)") }
        case let .deleteUser(address):
            do {
                try server.context.database.deleteUser(address)
                try context.reloadDirectory()
                return ControlReply(ok: true, message: "Deleted \(address); the mail stays on disk.")
            } catch { return .failure("\(error)") }
        case let .deletionNotice(user):
            return ControlReply(ok: true, message: "New mail to \(user) will be refused (550 5.1.1); the stored mail stays in \(context.delivery.maildir(owner: user)) and can be restored by adding the user again.")
        case let .checklist(rerun):
            if !rerun, let c = lastChecklist { return ControlReply(ok: true, message: "checklist", checklist: c) }
            let lines = Self.render(await RouterCheck.run(config))
            checklist.withLock { $0 = lines }
            return ControlReply(ok: true, message: "checklist", checklist: lines)
        case .shutdown:
            guard let stop = shutdownHandler.withLock({ $0 }) else { return .failure("this server cannot be stopped over the control socket") }
            // After the reply has gone out.
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(200)) { stop() }
            return ControlReply(ok: true, message: "stopping (messages in flight finish first)")
        }
    }

    static func render(_ list: Checklist) -> [RouterCheckLine] {
        ChecklistTextRenderer.lines(for: list).map { line -> RouterCheckLine in
            switch line.kind {
            case .item(let s):
                switch s {
                case .pass: return RouterCheckLine(status: .ok, text: line.text)
                case .fail: return RouterCheckLine(status: .failed, text: line.text)
                case .warn: return RouterCheckLine(status: .warning, text: line.text)
                case .unknown: return RouterCheckLine(status: .pending, text: line.text)
                }
            case .summary(let passed): return RouterCheckLine(status: passed ? .ok : .failed, text: line.text)
            default: return RouterCheckLine(status: .info, text: line.text)
            }
        }
    }
}
