import FacteurConsole
import FacteurCore
import FacteurRouter
import FacteurServer
import FacteurStore
import Foundation
import Synchronization

/// The console's view of a running server: the event stream, the command interface
/// (the same requests the control socket takes), and read-only mailbox browsing.
final class RuntimeConsoleBackend: ConsoleBackend {
    let runtime: Runtime
    let browser: MaildirBrowser
    let started = Date()
    private let checklist = Mutex<[RouterCheckLine]?>(nil)

    init(runtime: Runtime) {
        self.runtime = runtime
        self.browser = MaildirBrowser(mailRoot: runtime.config.mailRoot)
    }

    /// Every event, as it is: the console formats the Log panel's lines on its own thread.
    func subscribe(_ handler: @escaping @Sendable (ServerEvent) -> Void) {
        runtime.hub.subscribe(handler)
    }

    /// The same text `facteur serve` logs, at info level and above.
    func logLine(for event: ServerEvent) -> (level: LogLevel, text: String)? {
        if case .log = event.kind { return nil } // already a log line: the model shows it as it is
        guard EventLog.hasInfoLine(event), let (level, text) = EventLog.line(for: event), level >= .info else { return nil }
        let mapped: LogLevel = level >= .error ? .error : level >= .warning ? .warning : level >= .notice ? .notice : .info
        return (mapped, text)
    }
    var startTime: Date { started }
    var showBodies: Bool { runtime.config.console.showBodies }
    func country(of address: String) -> String? { runtime.country(of: address) }

    func listeners() async -> [ListenerStatus] {
        runtime.server.listeners.withLock { $0 }.map { ListenerStatus(service: $0.0, address: $0.1, tls: $0.2) }
            + runtime.server.failedListeners.withLock { $0 }.map { ListenerStatus(service: $0.0, address: $0.1, tls: false, error: $0.2) }
    }

    private func command(_ r: ControlRequest) -> ActionResult {
        let resp = runtime.handle(r)
        return ActionResult(ok: resp.ok, message: resp.message)
    }

    func bans() async -> [BanInfo] { runtime.handle(ControlRequest(command: "bans")).bans ?? [] }
    func ban(network: String, duration: TimeInterval?, reason: String) async -> ActionResult {
        command(ControlRequest(command: "ban", network: network, duration: duration, permanent: duration == nil, reason: reason))
    }
    func unban(network: String) async -> ActionResult { command(ControlRequest(command: "unban", network: network)) }
    func extendBan(network: String, by duration: TimeInterval) async -> ActionResult {
        command(ControlRequest(command: "extend", network: network, duration: duration))
    }
    func makeBanPermanent(network: String) async -> ActionResult {
        command(ControlRequest(command: "ban", network: network, permanent: true, reason: "made permanent from the console"))
    }
    func closeConnection(_ id: ConnectionID) async -> ActionResult { command(ControlRequest(command: "kick", connection: id.raw)) }

    func mailboxUsers() async throws -> [MailboxUserSummary] {
        try runtime.database.users().map { u in
            let f = browser.folders(of: u.address)
            return MailboxUserSummary(address: u.address, folders: f.count, messages: f.reduce(0) { $0 + $1.messages },
                                      unread: f.reduce(0) { $0 + $1.unread }, size: f.reduce(0) { $0 + $1.size })
        }
    }

    func folders(of user: String) async throws -> [FolderSummary] {
        browser.folders(of: user).map { FolderSummary(name: $0.name, messages: $0.messages, unread: $0.unread, size: $0.size) }
    }

    func messages(of user: String, folder: String) async throws -> [MessageSummary] {
        browser.messages(of: user, folder: folder).map {
            MessageSummary(id: $0.id, date: $0.date, from: $0.from, subject: $0.subject, size: $0.size, flags: $0.flags)
        }
    }

    func rawMessage(of user: String, folder: String, id: String) async throws -> [UInt8] {
        try browser.raw(of: user, folder: folder, id: id)
    }

    func addUser(address: String, password: String) async -> ActionResult {
        do {
            let (l, d) = try LocalAddress.validate(address, domains: runtime.config.domains)
            let owner = "\(l)@\(d)"
            try runtime.database.addUser(owner, passwordHash: try PasswordHasher.hash(password))
            try runtime.server.context.delivery.ensureMaildir(owner: owner)
            try runtime.server.context.mailStore.ensureUser(owner)
            try runtime.server.context.reloadDirectory()
            return .success("Created \(owner).")
        } catch { return .failure("\(error)") }
    }

    func setPassword(user: String, password: String) async -> ActionResult {
        do {
            try runtime.database.setPasswordHash(user, try PasswordHasher.hash(password))
            return .success("Password changed for \(user).")
        } catch { return .failure("\(error)") }
    }

    func deleteUser(address: String) async -> ActionResult {
        do {
            try runtime.database.deleteUser(address)
            try runtime.server.context.reloadDirectory()
            return .success("Deleted \(address); the mail stays on disk.")
        } catch { return .failure("\(error)") }
    }

    func deletionNotice(for user: String) async -> String {
        "New mail to \(user) will be refused (550 5.1.1); the stored mail stays in \(runtime.server.context.delivery.maildir(owner: user)) and can be restored by adding the user again."
    }

    func routerChecklist() async -> [RouterCheckLine] {
        if let c = checklist.withLock({ $0 }) { return c }
        return await rerunRouterChecklist()
    }

    func rerunRouterChecklist() async -> [RouterCheckLine] {
        let list = await RouterCheck.run(runtime.config)
        let lines = ChecklistTextRenderer.lines(for: list).map { line -> RouterCheckLine in
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
        checklist.withLock { $0 = lines }
        return lines
    }
}
