import FacteurMailStore
import Foundation

/// The POP3 maildrop over the mailbox index: INBOX in UID order, unique-ids shared with IMAP, and
/// deletions that IMAP sessions see as EXPUNGE (and the other way round).
struct IndexedPOP3Provider: POP3MaildropProvider {
    let store: MailStore

    func open(owner: String) throws -> [POP3MaildropEntry] {
        try store.pop3Maildrop(owner: owner).compactMap { m in
            guard let path = try store.messagePath(owner: owner, mailbox: "INBOX", uid: m.uid) else { return nil }
            return POP3MaildropEntry(uid: m.uniqueID, size: Int(m.size), path: path)
        }
    }

    func delete(owner: String, uids: [String]) throws {
        try store.pop3Delete(owner: owner, uniqueIDs: uids)
    }
}
