import FacteurMIME
import Foundation
import GRDB

/// SORT / THREAD keys (RFC 5256) from `mailstore_sortkey`, filling the rows that are missing.
///
/// A message gets its row when it is appended, or the first time a SORT or THREAD asks for it
/// (messages delivered by SMTP, indexed before the table existed, or after a rebuild): its
/// header is read from the file and the rows are written in batches of
/// `MailStoreLimits.insertBatch`, one short transaction each, so that other sessions' writes
/// wait for one batch at most. Keys read once stay in memory (`SortKeyCache`).
extension MailStore {
    /// The keys of `uids`, in the same order; empty fields for a message the index does not hold.
    public func sortFields(owner: String, mailbox: String, uids: [UInt32]) throws -> [MessageSortFields] {
        let n = try MailboxName(mailbox)
        let dir = try mailboxDirectory(owner, n)
        guard let row = try pool.read({ db in try MailboxRow.fetch(db, owner: owner, name: n.canonical) }) else {
            throw MailStoreError.noSuchMailbox(n.canonical)
        }
        let cacheKey = SortKeyCache.Key(mailboxID: row.id, uidValidity: row.uidValidity)
        var found = sortKeys.lookup(cacheKey, uids)
        let uncached = uids.indices.filter { found[$0] == nil }
        guard !uncached.isEmpty else { return found.map { $0 ?? MessageSortFields() } }
        let stored = try pool.read { db in try Self.readSortFields(db, mailboxID: row.id, uids: uncached.map { uids[$0] }) }
        for (index, fields) in zip(uncached, stored) { found[index] = fields }
        defer {
            let learned = uncached.filter { found[$0] != nil }
            sortKeys.store(cacheKey, uids: learned.map { uids[$0] }, fields: learned.compactMap { found[$0] })
        }
        let missing = uncached.filter { found[$0] == nil }
        guard !missing.isEmpty else { return found.map { $0 ?? MessageSortFields() } }

        let files = try pool.read { db in try IndexedMessage.fetch(db, mailboxID: row.id, uids: missing.map { uids[$0] }) }
        var position: [UInt32: Int] = [:]
        for index in missing { position[uids[index]] = index }
        var start = 0
        while start < files.count {
            let batch = files[start..<min(start + MailStoreLimits.insertBatch, files.count)]
            start += batch.count
            var computed: [(UInt32, MessageSortFields)] = []
            for file in batch {
                guard let head = try? MaildirIO.readPrefix(file.path(in: dir), max: MailStoreLimits.sortHeaderBytes) else { continue }
                let fields = MessageSortFields(header: head)
                computed.append((file.uid, fields))
                if let index = position[file.uid] { found[index] = fields }
            }
            try pool.write { db in try Self.storeSortFields(db, mailboxID: row.id, computed) }
        }
        return found.map { $0 ?? MessageSortFields() }
    }

    /// Stores the keys of a message that was just indexed (append), from the start of its file.
    func indexSortFields(mailboxID: Int64, uid: UInt32, path: String) {
        guard let head = try? MaildirIO.readPrefix(path, max: MailStoreLimits.sortHeaderBytes) else { return }
        try? pool.write { db in try Self.storeSortFields(db, mailboxID: mailboxID, [(uid, MessageSortFields(header: head))]) }
    }

    static let sortColumns = "uid, sentDate, subject, subjectIsReply, fromKey, toKey, ccKey, displayFrom, displayTo, messageID, refs"

    /// Rows for messages still in the index (one expunged meanwhile is skipped, not an error).
    static func storeSortFields(_ db: Database, mailboxID: Int64, _ entries: [(UInt32, MessageSortFields)]) throws {
        let insert = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO mailstore_sortkey (mailboxID, \(sortColumns))
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
            WHERE EXISTS (SELECT 1 FROM mailstore_message WHERE mailboxID = ? AND uid = ?)
            """)
        for (uid, f) in entries {
            try insert.execute(arguments: [mailboxID, Int64(uid), f.sentDate?.timeIntervalSince1970, f.subject.key, f.subject.isReplyOrForward,
                                           f.fromKey, f.toKey, f.ccKey, f.displayFrom, f.displayTo, f.messageID,
                                           f.references.joined(separator: " "), mailboxID, Int64(uid)])
        }
    }

    /// The stored keys of `uids` (nil where there is no row), in the order of `uids`. Many UIDs
    /// in ascending order are read in one ordered scan of the mailbox's rows.
    static func readSortFields(_ db: Database, mailboxID: Int64, uids: [UInt32]) throws -> [MessageSortFields?] {
        var out = [MessageSortFields?](repeating: nil, count: uids.count)
        let ascending = zip(uids, uids.dropFirst()).allSatisfy { $0 < $1 }
        if uids.count > 200 && ascending {
            let cursor = try Row.fetchCursor(db, sql: "SELECT \(sortColumns) FROM mailstore_sortkey WHERE mailboxID = ? ORDER BY uid",
                                             arguments: [mailboxID])
            var index = 0
            while index < uids.count, let r = try cursor.next() {
                let uid = UInt32(truncatingIfNeeded: r[0] as Int64)
                while index < uids.count, uids[index] < uid { index += 1 }
                if index < uids.count, uids[index] == uid { out[index] = fields(r); index += 1 }
            }
            return out
        }
        let select = try db.cachedStatement(sql: "SELECT \(sortColumns) FROM mailstore_sortkey WHERE mailboxID = ? AND uid = ?")
        for (index, uid) in uids.enumerated() {
            if let r = try Row.fetchOne(select, arguments: [mailboxID, Int64(uid)]) { out[index] = fields(r) }
        }
        return out
    }

    private static func fields(_ r: Row) -> MessageSortFields {
        let refs: String = r[10]
        return MessageSortFields(sentDate: (r[1] as Double?).map(Date.init(timeIntervalSince1970:)),
                                 subject: BaseSubject(key: r[2], isReplyOrForward: r[3]),
                                 fromKey: r[4], toKey: r[5], ccKey: r[6], displayFrom: r[7], displayTo: r[8],
                                 messageID: r[9], references: refs.isEmpty ? [] : refs.split(separator: " ").map(String.init))
    }
}
