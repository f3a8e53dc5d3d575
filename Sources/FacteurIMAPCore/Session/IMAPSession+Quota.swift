/// QUOTA (RFC 9208): one quota root per user, covering all their folders, with the STORAGE and
/// MESSAGE resources. Limits are the administrator's (`[mail] quota`), so SETQUOTA is refused.
public enum IMAPQuotaRoot {
    /// The root's name, as Dovecot names its per-user root.
    public static let name = "User quota"
    static let capabilities = ["QUOTA", "QUOTA=RES-STORAGE", "QUOTA=RES-MESSAGE"]
}

extension IMAPMailStore {
    /// Stores without quotas: no resource is limited, so no mailbox has a quota root.
    public func quotaResources() async throws -> [QuotaResource] { [] }
}

extension IMAPSession {
    mutating func executeQuota(_ tagged: TaggedCommand, store: any IMAPMailStore, into output: inout SessionOutput) async throws {
        let tag = tagged.tag
        switch tagged.command {
        case .getQuotaRoot(let name):
            // §4.3.3: the mailbox must exist; its roots, then each root's QUOTA.
            _ = try await store.status(name)
            let resources = try await store.quotaResources()
            output.untagged(.quotaRoot(name, roots: resources.isEmpty ? [] : [IMAPQuotaRoot.name]))
            if !resources.isEmpty { output.untagged(.quota(root: IMAPQuotaRoot.name, resources)) }
            output.tagged(tag, .ok, nil, "GETQUOTAROOT completed")
        case .getQuota(let root):
            // A user without any limit has no quota root (a QUOTA response needs a resource).
            let resources = try await store.quotaResources()
            guard root == IMAPQuotaRoot.name, !resources.isEmpty else {
                output.tagged(tag, .no, .nonexistent, "No such quota root")
                return
            }
            output.untagged(.quota(root: IMAPQuotaRoot.name, resources))
            output.tagged(tag, .ok, nil, "GETQUOTA completed")
        case .setQuota:
            output.tagged(tag, .no, .noPerm, "Quotas are set by the administrator")
        default:
            output.tagged(tag, .bad, nil, "Unexpected command")
        }
    }
}
