import Foundation
import GRDB

/// Reading mail when nothing can be written (a full disk).
extension MailStore {
    /// The mailbox as the index has it now, without the sync (which writes) and without
    /// claiming \Recent: what SELECT falls back to when the disk is full, so that mail already
    /// indexed can still be read. Messages that arrived since the last sync appear once the
    /// disk has room again.
    public func selectIndexed(owner: String, mailbox: String) throws -> MailboxSnapshot {
        let n = try MailboxName(mailbox)
        return try withOwner(owner) { _ in
            try pool.read { db in
                guard let row = try MailboxRow.fetch(db, owner: owner, name: n.canonical) else {
                    throw MailStoreError.noSuchMailbox(n.canonical)
                }
                return try Self.snapshot(db, row: row, recent: [], readOnly: true)
            }
        }
    }
}
