import Foundation
import FacteurCore

/// A state-changing admin action, sent to the backend only after the admin confirmed it.
public enum BackendCommand: Sendable, Equatable {
    case ban(network: String, duration: TimeInterval?, reason: String)
    case unban(network: String)
    case extendBan(network: String, by: TimeInterval)
    case makeBanPermanent(network: String)
    case closeConnection(ConnectionID)
    case addUser(address: String, password: String)
    case setPassword(user: String, password: String)
    case deleteUser(address: String)
}

/// Data the console fetches from the backend (read-only).
public enum LoadRequest: Sendable, Equatable, Hashable {
    case listeners, bans
    case mailboxUsers
    case folders(user: String)
    case messages(user: String, folder: String)
    case message(user: String, folder: String, id: String)
    case router, rerunRouter
    case deletionNotice(user: String)
}

/// What the controller asks the loop to do.
public enum ConsoleEffect: Sendable, Equatable {
    case quit
    /// End the console and leave the server running.
    case detach
    case perform(BackendCommand)
    case load(LoadRequest)
    /// Clear and repaint the whole terminal.
    case repaint
}

/// A backend answer, delivered back to the UI thread.
public enum Completion: Sendable {
    case listeners([ListenerStatus])
    case bans([BanInfo])
    case mailboxUsers(Result<[MailboxUserSummary], LoadError>)
    case folders(user: String, Result<[FolderSummary], LoadError>)
    case messages(user: String, folder: String, Result<[MessageSummary], LoadError>)
    case message(user: String, folder: String, id: String, Result<DecodedMessage, LoadError>)
    case router([RouterCheckLine])
    case deletionNotice(user: String, String)
    case performed(BackendCommand, ActionResult)
}

public struct LoadError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
