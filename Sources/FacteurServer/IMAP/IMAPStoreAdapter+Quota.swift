import FacteurCore
import FacteurIMAPCore
import FacteurMailStore

/// QUOTA (RFC 9208) for one user: usage from the mailbox index against `[mail] quota`.
extension IMAPStoreAdapter {
    /// The check an APPEND or COPY runs on the I/O pool before storing: `messages` more
    /// messages of `bytes` octets must fit under the limit (no grace: `MailboxQuota`), else
    /// `NO [OVERQUOTA]`. Without a limit it reads nothing.
    func admission() -> @Sendable (_ bytes: Int64, _ messages: Int64) throws -> Void {
        let (owner, quotas) = (self.owner, self.quotas)
        let limit = quotas.limit(of: owner)
        return { bytes, messages in
            guard !limit.isUnlimited else { return }
            guard try quotas.quota(of: owner, limit: limit).admitsStoring(bytes: bytes, messages: messages) else {
                throw IMAPStoreError.overQuota
            }
        }
    }

    func quotaResources() async throws -> [QuotaResource] {
        let (owner, quotas) = (self.owner, self.quotas)
        let limit = quotas.limit(of: owner)
        guard !limit.isUnlimited else { return [] }
        let quota = try await run { try quotas.quota(of: owner, limit: limit) }
        var resources: [QuotaResource] = []
        if let bytes = limit.bytes {
            // RFC 9208 §5.1: units of 1024 octets (the limit rounded down, usage up).
            resources.append(QuotaResource(name: QuotaResource.storage, usage: UInt64(quota.usage.kibibytes), limit: UInt64(bytes / 1024)))
        }
        if let messages = limit.messages {
            resources.append(QuotaResource(name: QuotaResource.message, usage: UInt64(quota.usage.messages), limit: UInt64(messages)))
        }
        return resources
    }
}
