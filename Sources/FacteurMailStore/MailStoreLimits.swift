import Foundation

/// Every limit of the mailbox store, in one place.
public enum MailStoreLimits {
    /// Longest mailbox name in UTF-8 bytes. On disk the name becomes `.A.B` (one byte longer),
    /// which must stay under NAME_MAX (255).
    public static let maxMailboxNameBytes = 200
    /// Deepest hierarchy (`A/B/C` is 3).
    public static let maxMailboxDepth = 16
    /// Mailboxes one owner may have (discovery of foreign directories stops there too).
    public static let maxMailboxesPerOwner = 10_000
    /// Keywords on one message, and bytes of one keyword.
    public static let maxKeywordsPerMessage = 64
    public static let maxKeywordBytes = 100
    /// Keywords of one folder that get a letter in file names (Dovecot's Maildir format: `a`…`z`,
    /// `dovecot-keywords`); the others are kept in the index only.
    public static let maildirKeywordLetters = 26
    /// A `dovecot-keywords.lock` older than this was left by a program that died: removed.
    public static let maildirKeywordsLockStale: TimeInterval = 30
    /// Bytes of a message read by the console to show From / Subject / Date.
    public static let headerPeekBytes = 8 * 1024
    /// Bytes of a message read for its SORT / THREAD keys (`mailstore_sortkey`): the header
    /// section, long Received / DKIM chains included.
    public static let sortHeaderBytes = 64 * 1024
    /// Messages whose sort keys are kept in memory (`SortKeyCache`, ~100–200 octets each).
    public static let cachedSortKeys = 500_000
    /// Messages the console asks for at once.
    public static let maxConsolePage = 1_000
    /// A directory whose mtime is younger than this (relative to the start of a scan) is not
    /// trusted for the "nothing changed" shortcut: file timestamps come from a coarse kernel
    /// clock (one tick, ≤ 10 ms), so a change in the same tick as our scan could keep the mtime.
    public static let directoryMtimeSettle: TimeInterval = 0.1
    /// Rows inserted per statement batch during a rebuild (one transaction for all of them).
    public static let insertBatch = 500
    /// Chunk size when copying a temp file into the Maildir.
    public static let copyChunk = 64 * 1024
    /// RFC 1939 §7: a unique-id is 1 to 70 characters 0x21…0x7E.
    public static let pop3UniqueIDMaxLength = 70
}
