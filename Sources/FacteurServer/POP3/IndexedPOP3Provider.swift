import FacteurMailStore
import Foundation

/// The POP3 maildrop over the mailbox index: INBOX in UID order, unique-ids shared with IMAP, and
/// deletions that IMAP sessions see as EXPUNGE (and the other way round).
struct IndexedPOP3Provider: POP3MaildropProvider {
    let store: MailStore

    /// One sync and one query: the paths come with the listing. A file renamed since (an IMAP
    /// client changed its flags) is found again at RETR (`POP3Handler.sendMessage`).
    func open(owner: String) throws -> [POP3MaildropEntry] {
        try store.pop3Maildrop(owner: owner).map { m in
            POP3MaildropEntry(uid: m.uniqueID, size: Int(m.size), path: m.path)
        }
    }

    func delete(owner: String, uids: [String]) throws {
        try store.pop3Delete(owner: owner, uniqueIDs: uids)
    }
}
