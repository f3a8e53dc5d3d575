import GRDB

/// Quota usage (RFC 9208 STORAGE and MESSAGE) kept current by the database itself: a row per
/// folder in `mailstore_usage`, adjusted by triggers on every insert, delete and size change of
/// `mailstore_message` — whichever path changed the index (delivery sync, APPEND, COPY, MOVE,
/// EXPUNGE, a folder deleted by cascade, a rebuild). A user's usage is then a sum over their
/// few folders, never a scan of messages or of the Maildirs.
extension MailStore {
    static func registerQuotaMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("mailstore-v2-quota") { db in
            try db.execute(sql: """
                CREATE TABLE mailstore_usage (
                    mailboxID INTEGER PRIMARY KEY NOT NULL REFERENCES mailstore_mailbox(id) ON DELETE CASCADE,
                    messages INTEGER NOT NULL,
                    bytes INTEGER NOT NULL
                );
                INSERT INTO mailstore_usage (mailboxID, messages, bytes)
                    SELECT id, (SELECT COUNT(*) FROM mailstore_message WHERE mailboxID = mailstore_mailbox.id),
                               (SELECT TOTAL(size) FROM mailstore_message WHERE mailboxID = mailstore_mailbox.id)
                    FROM mailstore_mailbox;
                CREATE TRIGGER mailstore_usage_mailbox AFTER INSERT ON mailstore_mailbox BEGIN
                    INSERT OR IGNORE INTO mailstore_usage (mailboxID, messages, bytes) VALUES (NEW.id, 0, 0);
                END;
                CREATE TRIGGER mailstore_usage_insert AFTER INSERT ON mailstore_message BEGIN
                    INSERT OR IGNORE INTO mailstore_usage (mailboxID, messages, bytes) VALUES (NEW.mailboxID, 0, 0);
                    UPDATE mailstore_usage SET messages = messages + 1, bytes = bytes + NEW.size
                        WHERE mailboxID = NEW.mailboxID;
                END;
                CREATE TRIGGER mailstore_usage_delete AFTER DELETE ON mailstore_message BEGIN
                    UPDATE mailstore_usage SET messages = messages - 1, bytes = bytes - OLD.size
                        WHERE mailboxID = OLD.mailboxID;
                END;
                CREATE TRIGGER mailstore_usage_update AFTER UPDATE OF size, mailboxID ON mailstore_message BEGIN
                    UPDATE mailstore_usage SET messages = messages - 1, bytes = bytes - OLD.size
                        WHERE mailboxID = OLD.mailboxID;
                    INSERT OR IGNORE INTO mailstore_usage (mailboxID, messages, bytes) VALUES (NEW.mailboxID, 0, 0);
                    UPDATE mailstore_usage SET messages = messages + 1, bytes = bytes + NEW.size
                        WHERE mailboxID = NEW.mailboxID;
                END;
                """)
        }
    }

    /// Messages and octets over all of `owner`'s folders, as the index knows them: two rows
    /// per folder read through the `(owner, name)` index.
    public func usage(owner: String) throws -> (messages: Int64, bytes: Int64) {
        try pool.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT TOTAL(u.messages), TOTAL(u.bytes) FROM mailstore_mailbox m
                JOIN mailstore_usage u ON u.mailboxID = m.id WHERE m.owner = ?
                """, arguments: [owner])
            return (Int64(row?[0] as Double? ?? 0), Int64(row?[1] as Double? ?? 0))
        }
    }

    /// STATUS DELETED and DELETED-STORAGE (RFC 9208 §4.2): the messages of one folder marked
    /// \Deleted, and their octets (what an EXPUNGE would free). One pass over the folder's rows.
    public func deletedUsage(mailboxID: Int64) throws -> (messages: Int64, bytes: Int64) {
        try pool.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT COUNT(*), TOTAL(size) FROM mailstore_message WHERE mailboxID = ? AND (flags & ?) != 0
                """, arguments: [mailboxID, MessageFlags.deleted.rawValue])
            return (row?[0] as Int64? ?? 0, Int64(row?[1] as Double? ?? 0))
        }
    }
}

extension MailStore {
    /// How many of `uids` exist in the folder and their octets: what a COPY of them adds.
    public func usage(owner: String, mailbox: String, uids: [UInt32]) throws -> (messages: Int64, bytes: Int64) {
        let n = try MailboxName(mailbox)
        let wanted = Set(uids)
        return try pool.read { db in
            guard let row = try MailboxRow.fetch(db, owner: owner, name: n.canonical) else { throw MailStoreError.noSuchMailbox(n.canonical) }
            var messages: Int64 = 0, bytes: Int64 = 0
            let cursor = try Row.fetchCursor(db, sql: "SELECT uid, size FROM mailstore_message WHERE mailboxID = ?", arguments: [row.id])
            while let r = try cursor.next() {
                guard wanted.contains(r[0] as UInt32) else { continue }
                messages += 1; bytes += r[1] as Int64
            }
            return (messages, bytes)
        }
    }

    /// STATUS DELETED / DELETED-STORAGE of one folder by name.
    public func deletedUsage(owner: String, mailbox: String) throws -> (messages: Int64, bytes: Int64) {
        let n = try MailboxName(mailbox)
        let id: Int64 = try pool.read { db in
            guard let row = try MailboxRow.fetch(db, owner: owner, name: n.canonical) else { throw MailStoreError.noSuchMailbox(n.canonical) }
            return row.id
        }
        return try deletedUsage(mailboxID: id)
    }
}
