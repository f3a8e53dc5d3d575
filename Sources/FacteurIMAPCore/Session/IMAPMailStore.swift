import FacteurMIME
import Foundation

/// One mailbox as LIST sees it.
public struct MailboxInfo: Hashable, Sendable {
    public var name: IMAPMailboxName
    /// Extra LIST attributes from storage: special use (`\Sent`, `\Drafts`, `\Junk`, `\Trash`,
    /// `\Archive`, RFC 6154) or `\Noselect`. `\HasChildren` / `\HasNoChildren` are computed.
    public var attributes: [String]
    public var subscribed: Bool

    public init(name: IMAPMailboxName, attributes: [String] = [], subscribed: Bool = true) {
        self.name = name; self.attributes = attributes; self.subscribed = subscribed
    }
}

/// One message's metadata.
public struct MessageRecord: Hashable, Sendable {
    public var uid: UInt32
    public var flags: Set<Flag>
    public var internalDate: Date
    /// RFC822.SIZE: octets of the message *with CRLF line ends* (what FETCH BODY[] sends).
    public var size: Int
    /// RFC 7162 mod-sequence of the message's last change.
    public var modSeq: UInt64

    public init(uid: UInt32, flags: Set<Flag>, internalDate: Date, size: Int, modSeq: UInt64 = 0) {
        self.uid = uid; self.flags = flags; self.internalDate = internalDate; self.size = size; self.modSeq = modSeq
    }
}

/// The state of a mailbox at one instant (SELECT, STATUS, and each resynchronisation).
public struct IMAPMailboxSnapshot: Hashable, Sendable {
    public var uidValidity: UInt32
    public var uidNext: UInt32
    /// In UID order (= sequence order). A store that hands every session the same table for
    /// the same mailbox state lets them share its storage.
    public var messages: MessageTable
    /// UIDs that are \Recent for this session (RFC 3501 §2.3.2); the store decides who
    /// sees a message first (Maildir: it was still in `new/`).
    public var recent: Set<UInt32>
    /// Keywords the mailbox has defined, whether or not a message has them now: FLAGS lists
    /// them, so every session of the mailbox announces the same list (as Dovecot does).
    public var keywords: [Flag]
    /// RFC 7162 HIGHESTMODSEQ: the mod-sequence of the mailbox's last change.
    public var highestModSeq: UInt64

    public init(uidValidity: UInt32, uidNext: UInt32, messages: MessageTable, recent: Set<UInt32> = [], keywords: [Flag] = [],
                highestModSeq: UInt64 = 1) {
        self.uidValidity = uidValidity; self.uidNext = uidNext; self.messages = messages; self.recent = recent
        self.keywords = keywords; self.highestModSeq = highestModSeq
    }

    public init(uidValidity: UInt32, uidNext: UInt32, messages: [MessageRecord], recent: Set<UInt32> = [], keywords: [Flag] = [],
                highestModSeq: UInt64 = 1) {
        self.init(uidValidity: uidValidity, uidNext: uidNext, messages: MessageTable(messages), recent: recent, keywords: keywords,
                  highestModSeq: highestModSeq)
    }
}

/// STATUS counters (RFC 3501 §6.3.10).
public struct IMAPMailboxStatus: Hashable, Sendable {
    public var messages: UInt32
    public var recent: UInt32
    public var uidNext: UInt32
    public var uidValidity: UInt32
    public var unseen: UInt32
    /// RFC 7162 §3.1.9
    public var highestModSeq: UInt64
    /// RFC 9208 STATUS DELETED: messages with \Deleted.
    public var deleted: UInt32 = 0
    /// RFC 9208 STATUS DELETED-STORAGE: what expunging them would free, in units of 1024 octets.
    public var deletedStorageKiB: UInt32 = 0
    /// RFC 8438 STATUS=SIZE: octets of every message, as the index sums them.
    public var size: UInt64 = 0

    public init(messages: UInt32, recent: UInt32, uidNext: UInt32, uidValidity: UInt32, unseen: UInt32, highestModSeq: UInt64 = 1) {
        self.messages = messages; self.recent = recent; self.uidNext = uidNext
        self.uidValidity = uidValidity; self.unseen = unseen; self.highestModSeq = highestModSeq
    }
}

/// UIDPLUS results (RFC 4315).
public struct IMAPAppendResult: Hashable, Sendable {
    public var uidValidity: UInt32
    public var uid: UInt32
    public init(uidValidity: UInt32, uid: UInt32) { self.uidValidity = uidValidity; self.uid = uid }
}

public struct IMAPCopyResult: Hashable, Sendable {
    public var uidValidity: UInt32
    /// Source UIDs and the UIDs of their copies, in the same order.
    public var sourceUIDs: [UInt32]
    public var destinationUIDs: [UInt32]
    public init(uidValidity: UInt32, sourceUIDs: [UInt32], destinationUIDs: [UInt32]) {
        self.uidValidity = uidValidity; self.sourceUIDs = sourceUIDs; self.destinationUIDs = destinationUIDs
    }
}

/// Why storage refused; the session turns it into a tagged NO with a response code.
public enum IMAPStoreError: Error, Sendable, Equatable {
    case nonexistent
    case alreadyExists
    case overQuota
    case noPermission
    /// A human reason safe to show the client.
    case refused(String)
}

/// A user's mail, as the IMAP session needs it. Implemented by the storage module (Maildir);
/// the session never touches files. Methods may throw `IMAPStoreError`; any other error is
/// reported as `NO [SERVERBUG]`.
public protocol IMAPMailStore: Sendable {
    /// Every subscribed name, including names of mailboxes that no longer exist (RFC 3501
    /// §6.3.6: the server must not remove a name from the subscriptions by itself).
    func subscriptions() async throws -> [IMAPMailboxName]
    func mailboxes() async throws -> [MailboxInfo]
    func create(_ name: IMAPMailboxName) async throws
    /// CREATE-SPECIAL-USE (RFC 6154): `use` is one of `IMAPSession.specialUseAttributes`.
    func create(_ name: IMAPMailboxName, specialUse use: String) async throws
    func delete(_ name: IMAPMailboxName) async throws
    func rename(_ name: IMAPMailboxName, to newName: IMAPMailboxName) async throws
    func setSubscribed(_ name: IMAPMailboxName, _ subscribed: Bool) async throws
    /// SELECT / EXAMINE: the mailbox's state; a read-write select may claim \Recent for this
    /// session (RFC 3501 §2.3.2). Throws `.nonexistent` for a missing mailbox.
    func select(_ name: IMAPMailboxName, readOnly: Bool) async throws -> IMAPMailboxSnapshot
    /// STATUS: counters without selecting, and without changing \Recent.
    func status(_ name: IMAPMailboxName) async throws -> IMAPMailboxStatus
    /// The current state of a selected mailbox, to report changes (NOOP, IDLE, after
    /// commands); never claims \Recent. `recent` may be empty.
    func snapshot(_ name: IMAPMailboxName) async throws -> IMAPMailboxSnapshot
    /// The message octets (LF or CRLF; the session converts to CRLF).
    func messageBytes(_ mailbox: IMAPMailboxName, uid: UInt32) async throws -> [UInt8]
    /// Changes flags and returns the resulting flags of each UID still present.
    func storeFlags(_ mailbox: IMAPMailboxName, uids: [UInt32], flags: Set<Flag>, mode: StoreAction.Mode) async throws -> [UInt32: Set<Flag>]
    func append(_ mailbox: IMAPMailboxName, message: [UInt8], flags: Set<Flag>, internalDate: Date) async throws -> IMAPAppendResult
    /// APPEND of a literal too large to hold in memory (streamed by the framer): a spool the
    /// session fills chunk by chunk, then finishes or aborts. The mailbox is checked by `finish`.
    func beginAppend(_ mailbox: IMAPMailboxName) async throws -> any IMAPAppendSpool
    /// MULTIAPPEND (RFC 3502): every message stored, or none (nothing visible, nothing left).
    func appendAll(_ mailbox: IMAPMailboxName, messages: [IMAPAppendMessage]) async throws -> [IMAPAppendResult]
    func copy(_ mailbox: IMAPMailboxName, uids: [UInt32], to destination: IMAPMailboxName) async throws -> IMAPCopyResult
    /// Copy then remove the originals atomically as far as storage allows (RFC 6851).
    func move(_ mailbox: IMAPMailboxName, uids: [UInt32], to destination: IMAPMailboxName) async throws -> IMAPCopyResult
    /// EXPUNGE, CLOSE, UID EXPUNGE (RFC 3501 §6.4.3, RFC 4315 §2.1): removes for good every
    /// message that has \Deleted in storage *now* — among `uids` when given — deciding and
    /// removing in one step under the store's lock, never from a session's (possibly stale)
    /// view of the flags. Returns the UIDs removed, ascending.
    func expunge(_ mailbox: IMAPMailboxName, uids: [UInt32]?) async throws -> [UInt32]
    /// RFC 9208: the user's limited resources with their usage (empty: no limit). The default
    /// (IMAPSession+Quota.swift) is no limit.
    func quotaResources() async throws -> [QuotaResource]
    /// SORT / THREAD keys (RFC 5256) of `uids`, in the same order, one per UID (empty fields
    /// for a message that is gone). A default reads the messages; an index keeps them.
    func sortFields(_ mailbox: IMAPMailboxName, uids: [UInt32]) async throws -> [MessageSortFields]
    /// STORE with RFC 7162 §3.1.3 `UNCHANGEDSINCE` (nil: unconditional): messages changed after
    /// that mod-sequence are left alone and reported as `modified`; the test and the change are
    /// one step under the store's lock.
    func storeFlags(_ mailbox: IMAPMailboxName, uids: [UInt32], flags: Set<Flag>, mode: StoreAction.Mode,
                    unchangedSince: UInt64?) async throws -> IMAPFlagStoreResult
    /// UIDs expunged from the mailbox after mod-sequence `since`, ascending (RFC 7162
    /// `VANISHED (EARLIER)`): the store remembers every expunge with its mod-sequence.
    func vanished(_ mailbox: IMAPMailboxName, since: UInt64) async throws -> [UInt32]
}

/// The outcome of a (conditional) STORE.
public struct IMAPFlagStoreResult: Hashable, Sendable {
    /// The resulting flags and mod-sequence of each message stored (or left as it was because
    /// nothing changed), by UID.
    public var flags: [UInt32: Set<Flag>]
    public var modSeqs: [UInt32: UInt64]
    /// UIDs that failed the UNCHANGEDSINCE test.
    public var modified: [UInt32]

    public init(flags: [UInt32: Set<Flag>], modSeqs: [UInt32: UInt64] = [:], modified: [UInt32] = []) {
        self.flags = flags; self.modSeqs = modSeqs; self.modified = modified
    }
}

/// A message being received for APPEND (`IMAPMailStore.beginAppend`). The session calls
/// `write` for each chunk, in order, then exactly one of `finish` and `abort`; after `finish`
/// (whether it returned or threw) or `abort`, nothing of the spool remains in storage.
public protocol IMAPAppendSpool: Sendable {
    /// More octets of the message (LF or CRLF line ends; storage keeps CRLF).
    func write(_ bytes: [UInt8]) async throws
    /// Stores the message durably in the mailbox given to `beginAppend`.
    func finish(flags: Set<Flag>, internalDate: Date) async throws -> IMAPAppendResult
    /// Discards what was written.
    func abort() async
}

/// Checks credentials and opens the user's store. Implemented by the users/storage module.
public protocol IMAPAuthenticator: Sendable {
    /// The user's store, or nil when the credentials are wrong.
    func authenticate(username: String, password: String) async -> (any IMAPMailStore)?
}

extension IMAPMailStore {
    /// Stores that forget a mailbox's subscription with the mailbox: the existing subscribed ones.
    public func subscriptions() async throws -> [IMAPMailboxName] {
        try await mailboxes().filter(\.subscribed).map(\.name)
    }
}
