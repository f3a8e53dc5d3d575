import Foundation
import GRDB
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The mailbox index over the Maildir++ folders of every owner: the one place the IMAP server,
/// the POP3 server and the console read and change mailboxes.
///
/// The Maildir is the truth for which messages exist, their system flags and their keywords
/// (the `:2,` info, keyword letters as Dovecot writes them, see `MaildirKeywords`); the index
/// (`mailstore_*` tables, see `registerMigrations`) adds what Maildir cannot hold — UIDs,
/// UIDVALIDITY, keywords past a folder's 26 letters, \Recent, special use — and makes SELECT fast.
///
/// Concurrency: every operation is synchronous and may be called from any thread. Operations
/// on one owner are serialised by an in-process per-owner lock (file renames and index rows
/// change together); different owners run in parallel. Events (`changes`) are posted before
/// that lock is released, in order; handlers must not call back into the store. Other programs
/// may change the Maildir at any time; `sync` (run by every operation first) reconciles. A file
/// removed by another program is reported as expunged once its directory has been still for
/// `MailStoreLimits.directoryMtimeSettle` (a listing taken while files are being renamed can
/// miss them). A second process writing the same index is not supported.
///
/// UIDVALIDITY: a new value (the current time, and always above every value handed out before,
/// kept in `mailstore_meta`) when a mailbox is created, when a folder directory appears that
/// the index does not know, and when the index is lost: UIDs are then reassigned from the files,
/// flags and the keywords that have letters come back from the file names.
public final class MailStore: Sendable {
    public let pool: DatabasePool
    public let mailRoot: String
    public let changes: MailboxChanges
    let hostname: String
    let now: @Sendable () -> Date
    private let locks = Mutex<[String: NSLock]>([:])
    let nameCounter = Mutex<UInt64>(0)
    let sortKeys = SortKeyCache()

    /// - Parameters:
    ///   - pool: the application database, already migrated with `registerMigrations`.
    ///   - mailRoot: `<data_dir>/mail`.
    ///   - hostname: used in the unique names of appended/copied files.
    ///   - now: the clock for INTERNALDATE defaults and UIDVALIDITY values.
    public init(pool: DatabasePool, mailRoot: String, hostname: String = "localhost",
                changes: MailboxChanges = MailboxChanges(), now: @escaping @Sendable () -> Date = { Date() }) {
        self.pool = pool
        self.mailRoot = mailRoot
        self.changes = changes
        // Unique names must not contain '/' or ':' (http://cr.yp.to/proto/maildir.html).
        self.hostname = hostname.replacingOccurrences(of: "/", with: "\\057").replacingOccurrences(of: ":", with: "\\072")
        self.now = now
    }

    // MARK: Paths

    func userDirectory(_ owner: String) throws(MailStoreError) -> String {
        try MailOwner.directory(root: mailRoot, owner: owner)
    }

    func mailboxDirectory(_ owner: String, _ name: MailboxName) throws(MailStoreError) -> String {
        let user = try userDirectory(owner)
        guard let d = name.directoryName else { return user }
        return user + "/" + d
    }

    // MARK: Locking and events

    typealias Events = [(MailboxKey, MailboxEvent)]

    /// Runs `body` holding the owner's lock and posts the events it collected (also when it
    /// throws after committing some of them) before releasing it, so that subscribers see the
    /// changes of one owner in the order they were made.
    func withOwner<T>(_ owner: String, _ body: (inout Events) throws -> T) throws -> T {
        let lock = locks.withLock { l -> NSLock in
            if let x = l[owner] { return x }
            let x = NSLock()
            l[owner] = x
            return x
        }
        var events: Events = []
        lock.lock()
        defer {
            for (k, e) in events { changes.post(k, e) }
            lock.unlock()
        }
        return try body(&events)
    }

    // MARK: Unique names

    /// A new Maildir unique name (without `,S=`); its leading seconds are `time`, so that a
    /// rebuilt index gets the INTERNALDATE back from the name.
    func uniqueName(time: Date) -> String {
        let t = time.timeIntervalSince1970
        let sec = max(Int(t.rounded(.down)), 1)
        let usec = max(0, min(999_999, Int((t - Double(sec)) * 1e6)))
        let n = nameCounter.withLock { c -> UInt64 in c += 1; return c }
        let r = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(sec).M\(usec)P\(getpid())Q\(n)R\(r).\(hostname)"
    }

    /// The next UIDVALIDITY: the current time, but always above every value given before.
    func nextUIDValidity(_ db: Database) throws -> UInt32 {
        let last = try Int64.fetchOne(db, sql: "SELECT value FROM mailstore_meta WHERE key = 'lastUIDValidity'") ?? 0
        let t = Int64(now().timeIntervalSince1970)
        let v = max(t, last + 1, 1)
        let value = UInt32(truncatingIfNeeded: v) == 0 ? 1 : UInt32(truncatingIfNeeded: v)
        try db.execute(sql: "INSERT OR REPLACE INTO mailstore_meta (key, value) VALUES ('lastUIDValidity', ?)", arguments: [Int64(value)])
        return value
    }
}
