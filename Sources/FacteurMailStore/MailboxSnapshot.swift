/// The state of a mailbox when a session selects it (RFC 3501 §6.3.1 responses).
public struct MailboxSnapshot: Sendable, Equatable {
    public var name: String
    public var uidValidity: UInt32
    public var uidNext: UInt32
    public var highestModSeq: Int64
    /// Every message, ordered by UID (sequence number n is `messages[n-1]`).
    public var messages: [MessageState]
    /// UIDs that are \Recent for this session (claimed by this select; EXAMINE sees them unclaimed).
    public var recent: [UInt32]
    /// Sequence number (1-based) of the first message without \Seen, for `OK [UNSEEN n]`.
    public var firstUnseen: Int?
    public var readOnly: Bool
    /// The keywords the folder has defined (its `dovecot-keywords` table), used by a message or
    /// not: a mailbox's FLAGS list only grows, as Dovecot's does.
    public var keywords: [String] = []
    /// Each message's mod-sequence (RFC 7162), parallel to `messages`.
    public var modSeqs: [Int64] = []
    public var count: Int { messages.count }
}

/// STATUS (RFC 3501 §6.3.10) plus the total size (RFC 8438 STATUS=SIZE).
public struct MailboxStatus: Sendable, Equatable {
    public var messages: Int
    public var recent: Int
    public var uidNext: UInt32
    public var uidValidity: UInt32
    public var unseen: Int
    public var size: Int64
    public var highestModSeq: Int64
}
