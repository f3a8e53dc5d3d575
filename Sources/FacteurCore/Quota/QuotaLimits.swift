/// Named constants of the quota rules (`MailboxQuota`).
public enum QuotaLimits {
    /// Incoming mail may take a user under their limit over it by this fraction of the limit
    /// (Dovecot's `quota_grace = 10%%`), so the message that crosses the line is not deferred.
    public static let graceFraction = 0.10
}
