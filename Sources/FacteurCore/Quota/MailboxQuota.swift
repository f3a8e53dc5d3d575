/// A user's limits (RFC 9208 §5: the STORAGE and MESSAGE resources) over all their folders.
/// nil = no limit on that resource; the default is no limit at all (`[mail] quota` unset).
public struct QuotaLimit: Sendable, Hashable, Codable {
    /// Octets (RFC822.SIZE of every message, CRLF line ends).
    public var bytes: Int64?
    public var messages: Int64?

    public init(bytes: Int64? = nil, messages: Int64? = nil) {
        self.bytes = bytes; self.messages = messages
    }

    public static let unlimited = QuotaLimit()
    public var isUnlimited: Bool { bytes == nil && messages == nil }
}

/// What a user's folders hold now, from the mailbox index.
public struct QuotaUsage: Sendable, Hashable, Codable {
    public var bytes: Int64
    public var messages: Int64

    public init(bytes: Int64 = 0, messages: Int64 = 0) {
        self.bytes = bytes; self.messages = messages
    }

    /// RFC 9208 §5.1: STORAGE is counted in units of 1024 octets, rounded up.
    public var kibibytes: Int64 { (bytes + 1023) / 1024 }
}

/// A user's usage against their limit, and the two admission rules.
///
/// - Incoming mail (SMTP) gets Dovecot's `quota_grace`: a message is taken while the user is
///   under the limit before it, even if it takes them over by up to `QuotaLimits.graceFraction`
///   of the limit. One message crossing the line is delivered; the next one waits (452 4.2.2,
///   the sender retries). A sender cannot be told "delivered to some owners" after DATA, so
///   one rule for the whole transaction keeps a single reply.
/// - The user's own actions (IMAP APPEND, COPY, MOVE into another folder) get no grace: they
///   fit under the limit or are refused with `NO [OVERQUOTA]`.
public struct MailboxQuota: Sendable, Hashable, Codable {
    public var limit: QuotaLimit
    public var usage: QuotaUsage

    public init(limit: QuotaLimit, usage: QuotaUsage) {
        self.limit = limit; self.usage = usage
    }

    /// At or over a limit: nothing more is delivered.
    public var isFull: Bool {
        if let bytes = limit.bytes, usage.bytes >= bytes { return true }
        if let messages = limit.messages, usage.messages >= messages { return true }
        return false
    }

    /// Over a limit (the console shows these users).
    public var isOver: Bool {
        if let bytes = limit.bytes, usage.bytes > bytes { return true }
        if let messages = limit.messages, usage.messages > messages { return true }
        return false
    }

    /// Incoming mail of `size` octets (the grace rule above).
    public func admitsDelivery(ofSize size: Int64) -> Bool {
        guard !isFull else { return false }
        if let bytes = limit.bytes, usage.bytes + size > bytes + Self.grace(bytes) { return false }
        return true
    }

    /// `messages` more messages totalling `bytes` stored by the user themself (no grace).
    public func admitsStoring(bytes: Int64, messages: Int64) -> Bool {
        if let limit = limit.bytes, usage.bytes + bytes > limit { return false }
        if let limit = limit.messages, usage.messages + messages > limit { return false }
        return true
    }

    static func grace(_ bytes: Int64) -> Int64 {
        Int64((Double(bytes) * QuotaLimits.graceFraction).rounded(.down))
    }
}

/// Where the SMTP session learns an owner's quota. The server answers from the mailbox index
/// (a maintained per-folder sum, not a directory walk), and only for owners with a limit.
public protocol QuotaDirectory: Sendable {
    /// nil when the owner has no limit (nothing to check).
    func quota(of owner: String) -> MailboxQuota?
}

/// No limits: the default.
public struct NoQuotas: QuotaDirectory {
    public init() {}
    public func quota(of owner: String) -> MailboxQuota? { nil }
}
