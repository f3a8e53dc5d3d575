import FacteurConsole
import FacteurCore
import FacteurServer
import FacteurStore
import Foundation

/// The console's backend: a control-protocol connection to the server, whether that server was
/// running already (attached) or was started by this console (embedded). One code path: every
/// panel, every action and every event goes through the control socket.
final class ControlConsoleBackend: ConsoleBackend {
    let connection: ControlConnection
    let attachment: ConsoleAttachment
    var showBodies: Bool { connection.hello.showBodies }
    private let countries: CountryLookup

    init(connection: ControlConnection, mode: ConsoleAttachment.Mode, config: Config) {
        self.connection = connection
        attachment = ConsoleAttachment(mode: mode, pid: connection.hello.pid, started: connection.hello.started)
        countries = CountryLookup(config: config)
    }

    func subscribe(_ handler: @escaping @Sendable (ConsoleFeed) -> Void) {
        connection.setFeed({ message in
            switch message {
            case let .snapshot(s): handler(.snapshot(s))
            case let .events(e): handler(.events(e))
            case let .dropped(n): handler(.dropped(n))
            case .hello, .refused, .reply: break
            }
        }, onClose: { why in handler(.disconnected(why)) })
        refresh()
    }

    /// `watch` again: the server answers with a new snapshot.
    func refresh() { connection.request(.watch) { _ in } }

    /// The same text `facteur serve` logs, at info level and above.
    func logLine(for event: ServerEvent) -> (level: LogLevel, text: String)? {
        guard EventLog.hasInfoLine(event), let (level, text) = EventLog.line(for: event), level >= .info else { return nil }
        let mapped: LogLevel = level >= .error ? .error : level >= .warning ? .warning : level >= .notice ? .notice : .info
        return (mapped, text)
    }

    func country(of address: String) -> String? { countries.country(of: address) }

    private func call(_ command: ControlCommand) async -> ControlReply { await connection.request(command) }
    private func action(_ command: ControlCommand) async -> ActionResult { await call(command).result }
    private func load<T>(_ command: ControlCommand, _ field: (ControlReply) -> T?) async throws -> T {
        let r = await call(command)
        guard r.ok, let value = field(r) else { throw LoadError(r.message) }
        return value
    }

    func listeners() async -> [ListenerStatus] { await call(.listeners).listeners ?? [] }
    func bans() async -> [BanInfo] { await call(.bans).bans ?? [] }
    func ban(network: String, duration: TimeInterval?, reason: String) async -> ActionResult {
        await action(.ban(network: network, duration: duration, permanent: duration == nil, reason: reason))
    }
    func unban(network: String) async -> ActionResult { await action(.unban(network: network)) }
    func extendBan(network: String, by duration: TimeInterval) async -> ActionResult { await action(.extend(network: network, duration: duration)) }
    func makeBanPermanent(network: String) async -> ActionResult { await action(.permanent(network: network)) }
    func closeConnection(_ id: ConnectionID) async -> ActionResult { await action(.kick(connection: id.raw)) }

    func mailboxUsers() async throws -> [MailboxUserSummary] { try await load(.users) { $0.users } }
    func folders(of user: String) async throws -> [FolderSummary] { try await load(.folders(user: user)) { $0.folders } }
    func messages(of user: String, folder: String) async throws -> [MessageSummary] {
        try await load(.messages(user: user, folder: folder)) { $0.messages }
    }
    func rawMessage(of user: String, folder: String, id: String) async throws -> [UInt8] {
        Array(try await load(.message(user: user, folder: folder, id: id)) { $0.raw })
    }
    func addUser(address: String, password: String) async -> ActionResult { await action(.addUser(address: address, password: password)) }
    func setPassword(user: String, password: String) async -> ActionResult { await action(.setPassword(user: user, password: password)) }
    func deleteUser(address: String) async -> ActionResult { await action(.deleteUser(address: address)) }
    func deletionNotice(for user: String) async -> String { await call(.deletionNotice(user: user)).message }

    func routerChecklist() async -> [RouterCheckLine] { await call(.checklist(rerun: false)).checklist ?? [] }
    func rerunRouterChecklist() async -> [RouterCheckLine] { await call(.checklist(rerun: true)).checklist ?? [] }
    func shutdownServer() async -> ActionResult { await action(.shutdown) }
}
