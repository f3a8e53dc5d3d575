/// `status-att` (RFC 3501 §6.3.10).
public enum StatusAttribute: String, Hashable, Sendable, CaseIterable {
    case messages = "MESSAGES"
    case recent = "RECENT"
    case uidNext = "UIDNEXT"
    case uidValidity = "UIDVALIDITY"
    case unseen = "UNSEEN"
    /// RFC 9208 §4.2.2 / §4.2.3 (with QUOTA=RES-MESSAGE / QUOTA=RES-STORAGE)
    case deleted = "DELETED"
    case deletedStorage = "DELETED-STORAGE"
}

/// `store-att-flags` (RFC 3501 §6.4.6).
public struct StoreAction: Hashable, Sendable {
    public enum Mode: Hashable, Sendable { case replace, add, remove }
    public var mode: Mode
    /// `.SILENT`: no untagged FETCH in reply.
    public var silent: Bool
    public var flags: [Flag]

    public init(mode: Mode, silent: Bool, flags: [Flag]) {
        self.mode = mode; self.silent = silent; self.flags = flags
    }
}

/// One client command with its arguments (RFC 3501 §6 and the extensions we announce).
public enum Command: Hashable, Sendable {
    // Any state (§6.1)
    case capability
    case noop
    case logout
    // Not authenticated (§6.2)
    case starttls
    /// `initialResponse` is the SASL-IR argument (RFC 4959): base64 text, "=" meaning empty.
    case authenticate(mechanism: String, initialResponse: String?)
    case login(username: String, password: String)
    // Authenticated (§6.3)
    case select(IMAPMailboxName)
    case examine(IMAPMailboxName)
    case create(IMAPMailboxName)
    case delete(IMAPMailboxName)
    case rename(from: IMAPMailboxName, to: IMAPMailboxName)
    case subscribe(IMAPMailboxName)
    case unsubscribe(IMAPMailboxName)
    case list(ListCommand)
    case lsub(reference: String, pattern: String)
    case status(IMAPMailboxName, [StatusAttribute])
    /// APPEND whose message literal was buffered by the framer.
    case append(AppendCommand)
    /// RFC 2177
    case idle
    /// RFC 2342
    case namespace
    /// RFC 2971: nil is `ID NIL`. Keys and values in order.
    case id([IDParameter]?)
    /// RFC 5161
    case enable([String])
    /// RFC 9208
    case getQuota(root: String)
    case getQuotaRoot(IMAPMailboxName)
    case setQuota(root: String, [QuotaResourceLimit])
    // Selected (§6.4)
    case check
    case close
    /// RFC 3691
    case unselect
    case expunge
    /// RFC 4315
    case uidExpunge(SequenceSet)
    case search(charset: String?, key: SearchKey, uid: Bool)
    case fetch(SequenceSet, [FetchAttribute], uid: Bool)
    case store(SequenceSet, StoreAction, uid: Bool)
    case copy(SequenceSet, IMAPMailboxName, uid: Bool)
    /// RFC 6851
    case move(SequenceSet, IMAPMailboxName, uid: Bool)

    /// The command's name for logs ("UID FETCH").
    public var name: String {
        switch self {
        case .capability: return "CAPABILITY"
        case .noop: return "NOOP"
        case .logout: return "LOGOUT"
        case .starttls: return "STARTTLS"
        case .authenticate: return "AUTHENTICATE"
        case .login: return "LOGIN"
        case .select: return "SELECT"
        case .examine: return "EXAMINE"
        case .create: return "CREATE"
        case .delete: return "DELETE"
        case .rename: return "RENAME"
        case .subscribe: return "SUBSCRIBE"
        case .unsubscribe: return "UNSUBSCRIBE"
        case .list: return "LIST"
        case .lsub: return "LSUB"
        case .status: return "STATUS"
        case .append: return "APPEND"
        case .idle: return "IDLE"
        case .namespace: return "NAMESPACE"
        case .id: return "ID"
        case .enable: return "ENABLE"
        case .getQuota: return "GETQUOTA"
        case .getQuotaRoot: return "GETQUOTAROOT"
        case .setQuota: return "SETQUOTA"
        case .check: return "CHECK"
        case .close: return "CLOSE"
        case .unselect: return "UNSELECT"
        case .expunge: return "EXPUNGE"
        case .uidExpunge: return "UID EXPUNGE"
        case .search(_, _, let uid): return uid ? "UID SEARCH" : "SEARCH"
        case .fetch(_, _, let uid): return uid ? "UID FETCH" : "FETCH"
        case .store(_, _, let uid): return uid ? "UID STORE" : "STORE"
        case .copy(_, _, let uid): return uid ? "UID COPY" : "COPY"
        case .move(_, _, let uid): return uid ? "UID MOVE" : "MOVE"
        }
    }
}

/// One `string SP nstring` pair of an ID command.
public struct IDParameter: Hashable, Sendable {
    public var key: String
    public var value: String?
    public init(key: String, value: String?) { self.key = key; self.value = value }
}

/// APPEND's arguments (RFC 3501 §6.3.11).
public struct AppendCommand: Hashable, Sendable {
    public var mailbox: IMAPMailboxName
    public var flags: [Flag]
    public var internalDate: IMAPDateTime?
    /// The message; empty in `AppendPrefix` (streamed case).
    public var message: [UInt8]

    public init(mailbox: IMAPMailboxName, flags: [Flag] = [], internalDate: IMAPDateTime? = nil, message: [UInt8]) {
        self.mailbox = mailbox; self.flags = flags; self.internalDate = internalDate; self.message = message
    }
}

/// The part of an APPEND before a streamed literal (`IMAPFrame.literalStart`).
public struct AppendPrefix: Hashable, Sendable {
    public var tag: String
    public var mailbox: IMAPMailboxName
    public var flags: [Flag]
    public var internalDate: IMAPDateTime?
    public var literalSize: Int

    public init(tag: String, mailbox: IMAPMailboxName, flags: [Flag], internalDate: IMAPDateTime?, literalSize: Int) {
        self.tag = tag; self.mailbox = mailbox; self.flags = flags; self.internalDate = internalDate
        self.literalSize = literalSize
    }
}

/// `command = tag SP (command-any / command-auth / command-nonauth / command-select) CRLF`
public struct TaggedCommand: Hashable, Sendable {
    public var tag: String
    public var command: Command

    public init(tag: String, command: Command) {
        self.tag = tag; self.command = command
    }
}
