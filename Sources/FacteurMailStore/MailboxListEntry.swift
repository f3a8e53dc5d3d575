/// RFC 6154 special-use attributes this store assigns.
public enum SpecialUse: String, Sendable, CaseIterable {
    case sent = "\\Sent"
    case drafts = "\\Drafts"
    case trash = "\\Trash"
    case junk = "\\Junk"
    case archive = "\\Archive"
    case all = "\\All"
    case flagged = "\\Flagged"

    /// The folders every new user gets (`MailStore.ensureUser`).
    public static let defaultFolders: [(String, SpecialUse)] = [
        ("Sent", .sent), ("Drafts", .drafts), ("Trash", .trash), ("Junk", .junk), ("Archive", .archive),
    ]
}

/// One line of LIST (RFC 3501 §7.2.2, RFC 5258 child info, RFC 6154 special use).
public struct MailboxListEntry: Sendable, Equatable {
    public var name: String
    /// \Noselect: a hierarchy level with inferiors but no mailbox of its own.
    public var noselect: Bool
    public var hasChildren: Bool
    public var subscribed: Bool
    public var specialUse: SpecialUse?
}
