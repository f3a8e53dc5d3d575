import FacteurCore
/// Where the admin is in the Mailboxes panel: users → folders → messages → one message.
public enum MailboxLevel: Sendable, Equatable {
    case users
    case folders(user: String)
    case messages(user: String, folder: String)
    case message(user: String, folder: String, id: String)

    public var listID: ListID {
        switch self {
        case .users: return .users
        case .folders: return .folders
        case .messages: return .messages
        case .message: return .message
        }
    }
}

/// Data fetched from the backend, and whether it has arrived.
public enum Loadable<Value: Sendable & Equatable>: Sendable, Equatable {
    case idle, loading
    case loaded(Value)
    case failed(String)

    public var value: Value? { if case let .loaded(v) = self { return v } else { return nil } }
}

public struct MailboxBrowser: Sendable, Equatable {
    public var stack: [MailboxLevel] = [.users]
    public var users: Loadable<[MailboxUserSummary]> = .idle
    public var folders: Loadable<[FolderSummary]> = .idle
    public var messages: Loadable<[MessageSummary]> = .idle
    public var message: Loadable<DecodedMessage> = .idle

    public var level: MailboxLevel { stack.last ?? .users }
    public init() {}
}
