import Foundation

/// What an admin action did, shown in the console's status line or printed by the CLI.
public struct ActionResult: Sendable, Equatable, Codable {
    public var ok: Bool
    public var message: String
    public init(ok: Bool, message: String) { self.ok = ok; self.message = message }
    public static func success(_ m: String) -> ActionResult { .init(ok: true, message: m) }
    public static func failure(_ m: String) -> ActionResult { .init(ok: false, message: m) }
}

public struct MailboxUserSummary: Sendable, Equatable, Codable {
    public var address: String
    public var folders: Int
    public var messages: Int
    public var unread: Int
    public var size: Int64
    /// The user's quota (`[mail] quota`); nil = no limit on that resource.
    public var quotaBytes: Int64?
    public var quotaMessages: Int64?
    public init(address: String, folders: Int, messages: Int, unread: Int, size: Int64,
                quotaBytes: Int64? = nil, quotaMessages: Int64? = nil) {
        self.address = address; self.folders = folders; self.messages = messages; self.unread = unread; self.size = size
        self.quotaBytes = quotaBytes; self.quotaMessages = quotaMessages
    }

    public var quota: MailboxQuota {
        MailboxQuota(limit: QuotaLimit(bytes: quotaBytes, messages: quotaMessages),
                     usage: QuotaUsage(bytes: size, messages: Int64(messages)))
    }
}

public struct FolderSummary: Sendable, Equatable, Codable {
    public var name: String
    public var messages: Int
    public var unread: Int
    public var size: Int64
    public init(name: String, messages: Int, unread: Int, size: Int64) {
        self.name = name; self.messages = messages; self.unread = unread; self.size = size
    }
}

public struct MessageSummary: Sendable, Equatable, Codable {
    /// The store's id for reading the message (the Maildir unique name).
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
public struct RouterCheckLine: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable { case ok, warning, failed, info, pending }
    public var status: Status
    public var text: String
    public init(status: Status, text: String) { self.status = status; self.text = text }
}
