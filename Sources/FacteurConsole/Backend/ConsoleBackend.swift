import Foundation
import FacteurCore

/// What arrives from the server without being asked for: a snapshot, live events, a drop
/// notice, the end of the connection.
public enum ConsoleFeed: Sendable {
    case snapshot(ControlSnapshot)
    case events([ServerEvent])
    /// The server dropped this many events for this console; a snapshot follows.
    case dropped(Int)
    case disconnected(String)
}

/// Which server the console shows and how it is tied to it (for the title bar and `q`/`d`).
public struct ConsoleAttachment: Sendable, Equatable {
    public enum Mode: Sendable, Equatable {
        /// A server that was running already: quitting the console leaves it running.
        case attached
        /// The server this console started: `q` stops it, `d` leaves it running.
        case embedded
    }
    public var mode: Mode
    public var pid: Int32
    public var started: Date
    public init(mode: Mode, pid: Int32, started: Date) { self.mode = mode; self.pid = pid; self.started = started }
}

/// Everything the console needs from the server: the control protocol's snapshot, events and
/// commands (docs/control-protocol.md). Methods are called from tasks the console starts, never
/// from the curses thread, so they may take their time.
public protocol ConsoleBackend: Sendable {
    /// Registers the one feed handler and asks for the snapshot and the live events. Called from
    /// any thread; the handler must not wait for anything (the console only enqueues).
    func subscribe(_ handler: @escaping @Sendable (ConsoleFeed) -> Void)
    /// Asks for a new snapshot (the console lost events).
    func refresh()

    /// The Log panel's line for an event (the text `facteur serve` logs), or nil. Called on the
    /// console's own thread.
    func logLine(for event: ServerEvent) -> (level: LogLevel, text: String)?

    var attachment: ConsoleAttachment { get }
    /// `show_bodies` from the configuration: false hides message bodies in the Mailboxes panel.
    var showBodies: Bool { get }
    /// Two-letter country of an address, or nil when unknown. Must be quick (in-memory lookup).
    func country(of address: String) -> String?

    func listeners() async -> [ListenerStatus]
    func bans() async -> [BanInfo]
    /// `duration` nil = permanent.
    func ban(network: String, duration: TimeInterval?, reason: String) async -> ActionResult
    func unban(network: String) async -> ActionResult
    func extendBan(network: String, by duration: TimeInterval) async -> ActionResult
    func makeBanPermanent(network: String) async -> ActionResult
    func closeConnection(_ id: ConnectionID) async -> ActionResult

    func mailboxUsers() async throws -> [MailboxUserSummary]
    func folders(of user: String) async throws -> [FolderSummary]
    func messages(of user: String, folder: String) async throws -> [MessageSummary]
    /// The stored message, read-only: reading it must not change any flag.
    func rawMessage(of user: String, folder: String, id: String) async throws -> [UInt8]
    func addUser(address: String, password: String) async -> ActionResult
    func setPassword(user: String, password: String) async -> ActionResult
    func deleteUser(address: String) async -> ActionResult
    /// One sentence saying what deleting this user does to their mail, shown in the confirmation.
    func deletionNotice(for user: String) async -> String

    func routerChecklist() async -> [RouterCheckLine]
    func rerunRouterChecklist() async -> [RouterCheckLine]

    /// Stops the server (only the console that started it asks, when the admin quits).
    func shutdownServer() async -> ActionResult
}

extension ConsoleBackend {
    public func logLine(for event: ServerEvent) -> (level: LogLevel, text: String)? { nil }
    public func refresh() {}
    public var startTime: Date { attachment.started }
}
