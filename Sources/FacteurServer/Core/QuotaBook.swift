import FacteurCore
import FacteurMailStore
import FacteurStore

/// Every user's limit (`[mail] quota`, `[mail.user_quota]`) against their usage in the mailbox
/// index (`MailStore.usage`, a maintained per-folder sum). Owners without a limit cost nothing:
/// no query is made for them.
public struct QuotaBook: QuotaDirectory {
    public let settings: QuotaSettings
    let store: MailStore

    public init(settings: QuotaSettings, store: MailStore) {
        self.settings = settings; self.store = store
    }

    public func limit(of owner: String) -> QuotaLimit { settings.limit(for: owner) }

    /// SMTP's question (synchronous: a two-row indexed read). An unreadable index answers "no
    /// limit": the message is then accepted rather than deferred for a fault of ours.
    public func quota(of owner: String) -> MailboxQuota? {
        let limit = settings.limit(for: owner)
        guard !limit.isUnlimited else { return nil }
        return try? quota(of: owner, limit: limit)
    }

    /// After a delivery is durable (on the I/O pool, before the 250): owners with a limit get
    /// the message into the index now, so that the next RCPT counts it. Owners without a limit
    /// cost nothing; a failed sync only leaves the count behind until the next one.
    public func indexDelivery(owners: [String], folder: String?) {
        for owner in owners where !settings.limit(for: owner).isUnlimited {
            try? store.sync(owner: owner, mailbox: folder ?? "INBOX")
        }
    }

    /// The owner's usage against `limit` (blocking: call on the I/O pool, or for SMTP's RCPT).
    public func quota(of owner: String, limit: QuotaLimit) throws -> MailboxQuota {
        let (messages, bytes) = try store.usage(owner: owner)
        return MailboxQuota(limit: limit, usage: QuotaUsage(bytes: bytes, messages: messages))
    }
}
