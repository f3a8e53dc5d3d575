import GRDB

/// The index tables. They live in the application's one SQLite database, so every name is
/// prefixed `mailstore_`. Everything here can be rebuilt from the Maildirs (flags and keywords
/// come from the file names and each folder's `dovecot-keywords`), except keywords beyond a
/// folder's 26 letters, subscriptions and special-use markers of foreign folders.
///
/// - `mailstore_mailbox`: one row per folder; `uidNext` only grows; `newMtime`/`curMtime` are
///   the directory mtimes (ns) seen by the last full scan, 0 when not trusted.
/// - `mailstore_message`: one row per message, keyed `(mailboxID, uid)` (WITHOUT ROWID, so the
///   select query is one ordered range scan). `base` is the Maildir unique name without info,
///   `suffix` the `:2,…` part as on disk, `inNew` whether the file is in new/.
/// - `mailstore_subscription`: RFC 3501 §6.3.6 subscriptions are names, independent of mailboxes.
/// - `mailstore_meta`: `lastUIDValidity`, so that UIDVALIDITY values are never reused.
extension MailStore {
    /// Runs only this module's migrations (for a database whose app migrator does not include
    /// them, and for tests). GRDB tolerates migrations applied by other migrators.
    public static func migrate(_ writer: any DatabaseWriter) throws {
        var migrator = DatabaseMigrator()
        registerMigrations(&migrator)
        try migrator.migrate(writer)
    }

    /// Adds the index migrations (uniquely named `mailstore-v1`, …) to the app's migrator.
    /// The cascade from mailbox to message rows needs foreign keys on (GRDB's default).
    public static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("mailstore-v1") { db in
            try db.execute(sql: """
                CREATE TABLE mailstore_mailbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    owner TEXT NOT NULL,
                    name TEXT NOT NULL,
                    uidValidity INTEGER NOT NULL,
                    uidNext INTEGER NOT NULL,
                    specialUse TEXT,
                    highestModSeq INTEGER NOT NULL DEFAULT 1,
                    newMtime INTEGER NOT NULL DEFAULT 0,
                    curMtime INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (owner, name)
                );
                CREATE TABLE mailstore_message (
                    mailboxID INTEGER NOT NULL REFERENCES mailstore_mailbox(id) ON DELETE CASCADE,
                    uid INTEGER NOT NULL,
                    base TEXT NOT NULL,
                    suffix TEXT NOT NULL,
                    inNew INTEGER NOT NULL,
                    flags INTEGER NOT NULL,
                    keywords TEXT,
                    recent INTEGER NOT NULL,
                    internalDate REAL NOT NULL,
                    size INTEGER NOT NULL,
                    modSeq INTEGER NOT NULL,
                    PRIMARY KEY (mailboxID, uid)
                ) WITHOUT ROWID;
                CREATE UNIQUE INDEX mailstore_message_base ON mailstore_message(mailboxID, base);
                CREATE INDEX mailstore_message_recent ON mailstore_message(mailboxID, uid) WHERE recent = 1;
                CREATE INDEX mailstore_message_new ON mailstore_message(mailboxID, uid) WHERE inNew = 1;
                CREATE TABLE mailstore_subscription (
                    owner TEXT NOT NULL,
                    name TEXT NOT NULL,
                    PRIMARY KEY (owner, name)
                ) WITHOUT ROWID;
                CREATE TABLE mailstore_meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value INTEGER NOT NULL
                );
                """)
        }
        registerModSeqMigration(&migrator)
        registerSortKeyMigration(&migrator)
        registerQuotaMigration(&migrator)
    }
}
