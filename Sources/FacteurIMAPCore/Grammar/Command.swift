/// `status-att` (RFC 3501 §6.3.10).
public enum StatusAttribute: String, Hashable, Sendable, CaseIterable {
    case messages = "MESSAGES"
    case recent = "RECENT"
    case uidNext = "UIDNEXT"
    case uidValidity = "UIDVALIDITY"
    case unseen = "UNSEEN"
    /// RFC 7162 §3.1.9
    case highestModSeq = "HIGHESTMODSEQ"
    /// RFC 9208 §4.2.2 / §4.2.3 (with QUOTA=RES-MESSAGE / QUOTA=RES-STORAGE)
    case deleted = "DELETED"
    case deletedStorage = "DELETED-STORAGE"
    /// RFC 8438 STATUS=SIZE: the mailbox's total size in octets.
    case size = "SIZE"
}

/// `store-att-flags` (RFC 3501 §6.4.6).
public struct StoreAction: Hashable, Sendable {
    public enum Mode: Hashable, Sendable { case replace, add, remove }
    public var mode: Mode
    /// `.SILENT`: no untagged FETCH in reply.
    public var silent: Bool
    public var flags: [Flag]
    /// RFC 7162 §3.1.3 `(UNCHANGEDSINCE n)`: only messages whose mod-sequence is at most `n`.
    public var unchangedSince: UInt64?

    public init(mode: Mode, silent: Bool, flags: [Flag], unchangedSince: UInt64? = nil) {
        self.mode = mode; self.silent = silent; self.flags = flags; self.unchangedSince = unchangedSince
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
    /// RFC 6154 §3 CREATE-SPECIAL-USE: `CREATE name (USE (\Junk))`.
    case createSpecialUse(IMAPMailboxName, use: [String])
    case delete(IMAPMailboxName)
    case rename(from: IMAPMailboxName, to: IMAPMailboxName)
    case subscribe(IMAPMailboxName)
    case unsubscribe(IMAPMailboxName)
    case list(ListCommand)
    case lsub(reference: String, pattern: String)
    case status(IMAPMailboxName, [StatusAttribute])
    /// APPEND whose message literal was buffered by the framer.
    case append(AppendCommand)
    /// RFC 3502: several messages, all appended or none.
    case multiAppend(MultiAppendCommand)
    /// RFC 2177
    case idle
    /// RFC 2342
    case namespace
    /// RFC 2971: nil is `ID NIL`. Keys and values in order.
    case id([IDParameter]?)
    /// RFC 5161
    case enable([String])
    /// RFC 4978: the mechanism, upper-cased.
    case compress(String)
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
    /// RFC 4731 ESEARCH: SEARCH RETURN (…)
    case extendedSearch(ExtendedSearchCommand)
    /// RFC 5256, RFC 5267 ESORT
    case sort(SortCommand)
    /// RFC 5256
    case thread(ThreadCommand)
    case fetch(SequenceSet, [FetchAttribute], uid: Bool)
    case store(SequenceSet, StoreAction, uid: Bool)
    case copy(SequenceSet, IMAPMailboxName, uid: Bool)
    /// RFC 6851
    case move(SequenceSet, IMAPMailboxName, uid: Bool)
    /// SELECT / EXAMINE with RFC 7162 parameters (CONDSTORE, QRESYNC).
    case selectWithParameters(IMAPMailboxName, SelectParameters, readOnly: Bool)
    /// FETCH with RFC 7162 modifiers (CHANGEDSINCE, VANISHED).
    case fetchWithModifiers(SequenceSet, [FetchAttribute], FetchModifiers, uid: Bool)

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
        case .create, .createSpecialUse: return "CREATE"
        case .delete: return "DELETE"
        case .rename: return "RENAME"
        case .subscribe: return "SUBSCRIBE"
        case .unsubscribe: return "UNSUBSCRIBE"
        case .list: return "LIST"
        case .lsub: return "LSUB"
        case .status: return "STATUS"
        case .append, .multiAppend: return "APPEND"
        case .idle: return "IDLE"
        case .namespace: return "NAMESPACE"
        case .id: return "ID"
        case .enable: return "ENABLE"
        case .compress: return "COMPRESS"
        case .getQuota: return "GETQUOTA"
        case .getQuotaRoot: return "GETQUOTAROOT"
        case .setQuota: return "SETQUOTA"
        case .check: return "CHECK"
        case .close: return "CLOSE"
        case .unselect: return "UNSELECT"
        case .expunge: return "EXPUNGE"
        case .uidExpunge: return "UID EXPUNGE"
        case .search(_, _, let uid): return uid ? "UID SEARCH" : "SEARCH"
        case .extendedSearch(let command): return command.uid ? "UID SEARCH" : "SEARCH"
        case .sort(let command): return command.uid ? "UID SORT" : "SORT"
        case .thread(let command): return command.uid ? "UID THREAD" : "THREAD"
        case .fetch(_, _, let uid): return uid ? "UID FETCH" : "FETCH"
        case .store(_, _, let uid): return uid ? "UID STORE" : "STORE"
        case .copy(_, _, let uid): return uid ? "UID COPY" : "COPY"
        case .move(_, _, let uid): return uid ? "UID MOVE" : "MOVE"
        case .selectWithParameters(_, _, let readOnly): return readOnly ? "EXAMINE" : "SELECT"
        case .fetchWithModifiers(_, _, _, let uid): return uid ? "UID FETCH" : "FETCH"
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
