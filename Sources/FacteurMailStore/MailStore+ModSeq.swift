import Foundation
import GRDB

/// Mod-sequences (RFC 7162 CONDSTORE / QRESYNC).
///
/// Every change to a mailbox — flags or keywords set, a message appended, copied or moved in,
/// a message expunged (by a client or because its file disappeared) — takes the mailbox's next
/// mod-sequence (`MailboxRow.bumpModSeq`): the message rows it touched carry it in `modSeq`,
/// and expunged UIDs are remembered in `mailstore_expunged` with it, as compact UID ranges, one
/// row per expunging operation, so that `VANISHED (EARLIER)` (RFC 7162 §3.2.5.1) is exact for
/// any mod-sequence a client may come back with.
///
/// **HIGHESTMODSEQ never goes backwards, even when the index is rebuilt.** The index is a cache
/// of the Maildir: when it is lost, every message gets indexed again and each mailbox a new row.
/// Mod-sequences are therefore drawn from a clock floor: a new value is the previous one plus
/// one, but never less than the current time in microseconds (`modSeqFloor`). A mailbox row
/// created now (first use, or rebuild) starts at the clock, so it starts above every value the
/// lost index handed out, unless that index handed out more than a million changes per second
/// on average since it began or the system clock was set back. No extra file is written per
/// change; the values are 51-bit numbers, well within RFC 7162's 63 bits.
extension MailStore {
    /// The lowest mod-sequence a change made now may take: the store's clock in microseconds.
    func modSeqFloor() -> Int64 {
        max(1, Int64((now().timeIntervalSince1970 * 1_000_000).rounded(.down)))
    }

    /// `mailstore-v2-modseq`: the expunged UIDs with the mod-sequence of their expunge. (What
    /// changed since a mod-sequence is found in the IMAP server's in-memory message table, which
    /// SELECT loads anyway: an index on `(mailboxID, modSeq)` would only slow every flag change.)
    static func registerModSeqMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("mailstore-v2-modseq") { db in
            try db.execute(sql: """
                CREATE TABLE mailstore_expunged (
                    mailboxID INTEGER NOT NULL REFERENCES mailstore_mailbox(id) ON DELETE CASCADE,
                    modSeq INTEGER NOT NULL,
                    uids TEXT NOT NULL,
                    PRIMARY KEY (mailboxID, modSeq)
                ) WITHOUT ROWID;
                """)
        }
    }

    /// Remembers that `uids` were expunged with `modSeq` (one row per operation; an operation
    /// that shares its mod-sequence with another change of the same transaction adds to it).
    static func recordExpunged(_ db: Database, mailboxID: Int64, uids: [UInt32], modSeq: Int64) throws {
        guard !uids.isEmpty else { return }
        var all = uids
        if let previous = try String.fetchOne(db, sql: "SELECT uids FROM mailstore_expunged WHERE mailboxID = ? AND modSeq = ?",
                                              arguments: [mailboxID, modSeq]) {
            all += UIDRanges.decode(previous)
        }
        try db.execute(sql: "INSERT OR REPLACE INTO mailstore_expunged (mailboxID, modSeq, uids) VALUES (?, ?, ?)",
                       arguments: [mailboxID, modSeq, UIDRanges.encode(all)])
    }

    /// The UIDs expunged from the mailbox with a mod-sequence above `since`, ascending
    /// (`VANISHED (EARLIER)`). One range scan of the expunge log; the messages are not read.
    public func vanished(owner: String, mailbox: String, since: Int64) throws -> [UInt32] {
        let n = try MailboxName(mailbox)
        return try pool.read { db in
            guard let row = try MailboxRow.fetch(db, owner: owner, name: n.canonical) else { throw MailStoreError.noSuchMailbox(n.canonical) }
            var uids: [UInt32] = []
            let cursor = try String.fetchCursor(db, sql: "SELECT uids FROM mailstore_expunged WHERE mailboxID = ? AND modSeq > ?",
                                                arguments: [row.id, since])
            while let text = try cursor.next() { uids += UIDRanges.decode(text) }
            return Array(Set(uids)).sorted()
        }
    }
}

/// The result of a conditional STORE (RFC 7162 §3.1.3).
public struct FlagStoreResult: Sendable, Equatable {
    /// The resulting state of every message among the UIDs that passed the test, by UID.
    public var states: [MessageState]
    /// Their mod-sequences, parallel to `states` (the new one for those that changed).
    public var modSeqs: [Int64]
    /// UIDs left alone because they changed after `unchangedSince` (`[MODIFIED …]`), ascending.
    public var modified: [UInt32]

    public init(states: [MessageState], modSeqs: [Int64], modified: [UInt32]) {
        self.states = states; self.modSeqs = modSeqs; self.modified = modified
    }
}

/// UID sets as compact text ("1:5,7,9:12"), the form the expunge log keeps them in.
enum UIDRanges {
    static func encode(_ uids: [UInt32]) -> String {
        let sorted = Array(Set(uids)).sorted()
        var parts: [String] = []
        var index = 0
        while index < sorted.count {
            let first = sorted[index]
            var last = first
            while index + 1 < sorted.count && sorted[index + 1] == last + 1 { index += 1; last = sorted[index] }
            parts.append(first == last ? "\(first)" : "\(first):\(last)")
            index += 1
        }
        return parts.joined(separator: ",")
    }

    /// Malformed parts are skipped (the text is only ever written by `encode`).
    static func decode(_ text: String) -> [UInt32] {
        var out: [UInt32] = []
        for part in text.split(separator: ",") {
            let bounds = part.split(separator: ":").compactMap { UInt32($0) }
            if bounds.count == 1 { out.append(bounds[0]) }
            if bounds.count == 2, bounds[0] <= bounds[1] { out += Array(bounds[0]...bounds[1]) }
        }
        return out
    }
}
