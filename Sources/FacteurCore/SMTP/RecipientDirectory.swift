/// How the session learns whether a recipient is local. Implemented by the store over an
/// in-memory snapshot of users and aliases, so the session stays synchronous and pure.
public protocol RecipientDirectory: Sendable {
    func resolve(_ address: MailAddress) -> RecipientResolution
    /// Mailbox owners of `<postmaster>` (RFC 5321 §4.5.1: must always be accepted).
    func postmaster() -> RecipientResolution
}

public enum RecipientResolution: Sendable, Equatable {
    /// A local user or an alias: the mailbox owners ("alice@example.com") that receive it.
    case local([String])
    /// A local domain, no such user.
    case unknownUser
    /// Not one of our domains: accepting would be relaying.
    case notLocal
}

/// A directory from fixed tables; used by tests and by the store's snapshot.
public struct StaticDirectory: RecipientDirectory {
    public var domains: Set<String>
    /// Lower-cased address → owners.
    public var entries: [String: [String]]

    public init(domains: Set<String>, users: [String], aliases: [String: [String]] = [:]) {
        self.domains = Set(domains.map { $0.lowercased() })
        var e: [String: [String]] = [:]
        for u in users { e[u.lowercased()] = [u.lowercased()] }
        for (a, t) in aliases { e[a.lowercased(), default: []].append(contentsOf: t.map { $0.lowercased() }) }
        self.entries = e
    }

    public func resolve(_ address: MailAddress) -> RecipientResolution {
        if address.isAddressLiteral || !domains.contains(address.domain) { return .notLocal }
        if let owners = entries[address.lookupKey], !owners.isEmpty { return .local(owners) }
        return .unknownUser
    }

    public func postmaster() -> RecipientResolution {
        for d in domains.sorted() {
            if let owners = entries["postmaster@\(d)"], !owners.isEmpty { return .local(owners) }
        }
        return .unknownUser
    }
}
