import Foundation
import FacteurCore

/// Everything the console needs from the server. The server implements it; the console calls it
/// from tasks it starts, never from the curses thread, so methods may take their time.
public protocol ConsoleBackend: Sendable {
    /// Registers the one event handler. The server calls it from any thread, for every event,
    /// and must not wait for anything in it (the console only enqueues).
    func subscribe(_ handler: @escaping @Sendable (ServerEvent) -> Void)

    /// The Log panel's line for an event (the text `facteur serve` logs), or nil. Called on the
    /// console's own thread, so formatting costs the server's threads nothing.
    func logLine(for event: ServerEvent) -> (level: LogLevel, text: String)?

    /// When the server started (for the uptime).
    var startTime: Date { get }
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
}

extension ConsoleBackend {
    public func logLine(for event: ServerEvent) -> (level: LogLevel, text: String)? { nil }
}

/// What an admin action did, shown in the status line.
public struct ActionResult: Sendable, Equatable {
    public var ok: Bool
    public var message: String
    public init(ok: Bool, message: String) { self.ok = ok; self.message = message }
    public static func success(_ m: String) -> ActionResult { .init(ok: true, message: m) }
    public static func failure(_ m: String) -> ActionResult { .init(ok: false, message: m) }
}

public struct MailboxUserSummary: Sendable, Equatable {
    public var address: String
    public var folders: Int
    public var messages: Int
    public var unread: Int
    public var size: Int64
    public init(address: String, folders: Int, messages: Int, unread: Int, size: Int64) {
        self.address = address; self.folders = folders; self.messages = messages; self.unread = unread; self.size = size
    }
}

public struct FolderSummary: Sendable, Equatable {
    public var name: String
    public var messages: Int
    public var unread: Int
    public var size: Int64
    public init(name: String, messages: Int, unread: Int, size: Int64) {
        self.name = name; self.messages = messages; self.unread = unread; self.size = size
    }
}

public struct MessageSummary: Sendable, Equatable {
    /// The store's id for `rawMessage` (e.g. the Maildir unique name).
    public var id: String
    public var date: Date?
    public var from: String
    public var subject: String
    public var size: Int64
    /// IMAP flags ("\\Seen", "\\Flagged", …).
    public var flags: [String]
    public init(id: String, date: Date?, from: String, subject: String, size: Int64, flags: [String]) {
        self.id = id; self.date = date; self.from = from; self.subject = subject; self.size = size; self.flags = flags
    }
}

/// One already-rendered line of the router / DNS checklist.
public struct RouterCheckLine: Sendable, Equatable {
    public enum Status: String, Sendable { case ok, warning, failed, info, pending }
    public var status: Status
    public var text: String
    public init(status: Status, text: String) { self.status = status; self.text = text }
}
