import GRDB

/// `mailstore_sortkey`: one row per message with the SORT / THREAD keys of its header
/// (`MessageSortFields`, RFC 5256), so that SORT and THREAD read a column instead of every
/// message. Rows are derived from the message files (rebuildable: a message without a row
/// gets one the first time a SORT or THREAD needs it, see `MailStore.sortFields`); they go
/// with their message (foreign key, ON DELETE CASCADE).
///
/// `sentDate` is NULL when the Date: header is missing or unreadable; `refs` holds the
/// message IDs to link, oldest first, separated by spaces.
extension MailStore {
    static func registerSortKeyMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("mailstore-v2-sortkeys") { db in
            try db.execute(sql: """
                CREATE TABLE mailstore_sortkey (
                    mailboxID INTEGER NOT NULL,
                    uid INTEGER NOT NULL,
                    sentDate REAL,
                    subject TEXT NOT NULL,
                    subjectIsReply INTEGER NOT NULL,
                    fromKey TEXT NOT NULL,
                    toKey TEXT NOT NULL,
                    ccKey TEXT NOT NULL,
                    displayFrom TEXT NOT NULL,
                    displayTo TEXT NOT NULL,
                    messageID TEXT,
                    refs TEXT NOT NULL,
                    PRIMARY KEY (mailboxID, uid),
                    FOREIGN KEY (mailboxID, uid) REFERENCES mailstore_message(mailboxID, uid) ON DELETE CASCADE
                ) WITHOUT ROWID;
                """)
        }
    }
}
