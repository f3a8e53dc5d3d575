import FacteurIMAPCore
import FacteurMailStore

/// Translations between the IMAP core's vocabulary (wire names in modified UTF-7, `Flag` sets)
/// and the mail store's (UTF-8 names with "/", `MessageFlags` plus keywords, `MailStoreError`).
enum IMAPStoreConversions {
    // MARK: Mailbox names

    /// The store's name for a wire name: modified UTF-7 decoded (RFC 3501 §5.1.3). The store
    /// validates the result (no "." or ".." levels, no empty level, no control characters), so
    /// no name can leave the user's Maildir.
    static func storeName(_ name: IMAPMailboxName) throws(IMAPStoreError) -> String {
        if name.isInbox { return "INBOX" }
        guard let decoded = ModifiedUTF7.decode(name.wire) else {
            throw .refused("Mailbox name is not valid modified UTF-7")
        }
        return decoded
    }

    /// The wire name for a store name.
    static func wireName(_ storeName: String) -> IMAPMailboxName {
        storeName == "INBOX" ? .inbox : IMAPMailboxName(displayName: storeName)
    }

    // MARK: Flags

    /// System flags and keywords; `\Recent` and unknown `\Extension` flags are dropped (they
    /// cannot be stored, RFC 3501 §2.3.2).
    static func storeFlags(_ flags: Set<Flag>) -> (MessageFlags, [String]) {
        var system: MessageFlags = []
        var keywords: [String] = []
        for flag in flags.sorted(by: { $0.raw < $1.raw }) {
            if flag.isSystem {
                if let f = MessageFlags(imapName: flag.raw) { system.insert(f) }
            } else {
                keywords.append(flag.raw)
            }
        }
        return (system, keywords)
    }

    static func flags(_ system: MessageFlags, _ keywords: [String]) -> Set<Flag> {
        var out = Set(system.imapNames.map(Flag.init))
        for k in keywords { out.insert(Flag(k)) }
        return out
    }

    static func operation(_ mode: StoreAction.Mode) -> FlagOperation {
        switch mode {
        case .add: return .add
        case .remove: return .remove
        case .replace: return .replace
        }
    }

    // MARK: Errors

    /// The client-visible refusal for a store error; nil for failures that are the server's
    /// fault (I/O), which the session reports as `NO [SERVERBUG]`.
    static func imapError(_ error: MailStoreError) -> IMAPStoreError? {
        switch error {
        case .noSuchMailbox: return .nonexistent
        case .alreadyExists: return .alreadyExists
        case .invalidName(_, let reason): return .refused("Invalid mailbox name: \(reason)")
        case .invalidOwner: return .noPermission
        case .cannotDeleteInbox: return .refused("INBOX cannot be deleted")
        case .noselectWithChildren: return .refused(error.description)
        case .invalidKeyword: return .refused(error.description)
        case .io: return nil
        }
    }
}
