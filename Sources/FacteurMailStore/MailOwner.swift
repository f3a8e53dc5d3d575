/// Where an owner's Maildir lives: `alice@example.com` → `<root>/example.com/alice`, an owner
/// without a domain → `<root>/_/<owner>` (the same mapping as `MaildirDelivery`).
///
/// Owners are validated when users are created; this check is defence in depth so that no
/// owner string can point outside the mail root.
enum MailOwner {
    static func directory(root: String, owner: String) throws(MailStoreError) -> String {
        let parts = owner.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
        let local = String(parts[0])
        let domain = parts.count > 1 ? String(parts[1]) : "_"
        for p in [local, domain] where !isSafeComponent(p) {
            throw .invalidOwner(owner)
        }
        return "\(root)/\(domain)/\(local)"
    }

    /// The owner whose directory is `<root>/<domain>/<local>` (inverse of `directory`).
    static func owner(domain: String, local: String) -> String {
        domain == "_" ? local : "\(local)@\(domain)"
    }

    static func isSafeComponent(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 255, s != ".", s != "..", !s.hasPrefix(".") else { return false }
        return !s.unicodeScalars.contains { $0 == "/" || $0.value < 0x20 || $0.value == 0x7F }
    }
}
