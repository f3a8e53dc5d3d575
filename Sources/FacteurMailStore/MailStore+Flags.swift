import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// STORE (RFC 3501 §6.4.6) and EXPUNGE (§6.4.3, RFC 4315 UID EXPUNGE).
extension MailStore {
    /// Changes flags and keywords of `uids`. System flags and keywords go into the file name
    /// (`cur/base:2,…`, an atomic rename; a file still in new/ moves to cur/) and into the index
    /// together; keywords as the letters of the folder's `dovecot-keywords` table
    /// (`MaildirKeywords`), beyond its 26 letters in the index only. Returns the resulting state
    /// of every existing message among `uids`, ordered by UID; subscribers get the ones that
    /// changed.
    @discardableResult
    public func storeFlags(owner: String, mailbox: String, uids: [UInt32], operation: FlagOperation,
                           flags: MessageFlags, keywords: [String] = []) throws -> [MessageState] {
        try storeFlags(owner: owner, mailbox: mailbox, uids: uids, operation: operation, flags: flags, keywords: keywords,
                       unchangedSince: nil).states
    }

    /// STORE with the RFC 7162 §3.1.3 `UNCHANGEDSINCE` test: messages whose mod-sequence is
    /// above `unchangedSince` are left alone and reported in `modified`; the test and the
    /// change happen under the owner's lock, so no other change slips in between.
    public func storeFlags(owner: String, mailbox: String, uids: [UInt32], operation: FlagOperation,
                           flags: MessageFlags, keywords: [String] = [], unchangedSince: Int64?) throws -> FlagStoreResult {
        let n = try MailboxName(mailbox)
        for k in keywords { try Keywords.validate(k) }
        return try withOwner(owner) { ev in
            let dir = try mailboxDirectory(owner, n)
            var row = try syncLocked(owner, n, &ev)
            var before = DirectoryTimes.read(dir)
            var targets = try pool.read { db in try IndexedMessage.fetch(db, mailboxID: row.id, uids: uids) }
            var modified: [UInt32] = []
            if let unchangedSince {
                modified = targets.filter { $0.modSeq > unchangedSince }.map(\.uid)
                targets.removeAll { $0.modSeq > unchangedSince }
            }

            var results: [UInt32: IndexedMessage] = [:]
            var changed: [IndexedMessage] = []
            var retry: [UInt32] = []
            var spelled = keywords
            func apply(_ m: IndexedMessage) -> IndexedMessage {
                var u = m
                switch operation {
                case .add: u.flags.formUnion(flags); u.keywords = Keywords.merge(m.keywords, spelled)
                case .remove: u.flags.subtract(flags); u.keywords = Keywords.remove(m.keywords, spelled)
                case .replace: u.flags = flags; u.keywords = Keywords.merge([], spelled)
                }
                return u
            }
            // Refuse before renaming anything.
            if targets.contains(where: { apply($0).keywords.count > MailStoreLimits.maxKeywordsPerMessage }) {
                throw MailStoreError.invalidKeyword("more than \(MailStoreLimits.maxKeywordsPerMessage) keywords")
            }
            // Letters for the keywords being set (the table is only read when keywords are involved);
            // a keyword the folder knows takes the folder's spelling (`important` → `Important`).
            let involved = !keywords.isEmpty || operation == .replace || targets.contains { !$0.keywords.isEmpty }
            let table = involved ? MaildirKeywords.ensuring(Keywords.merge([], keywords), in: dir) : MaildirKeywords()
            spelled = keywords.map { table.spelling(of: $0) }
            for attempt in 0..<2 {
                for m in targets {
                    var u = apply(m)
                    let suffix = involved ? MaildirFilename.suffix(flags: u.flags, keywordLetters: table.letters(u.keywords), keeping: m.suffix)
                                          : MaildirFilename.suffix(flags: u.flags, keeping: m.suffix)
                    if u.flags != m.flags || !MaildirFilename.sameInfo(suffix, m.suffix) {
                        u.suffix = suffix
                        u.inNew = false
                        if Glibc.rename(m.path(in: dir), u.path(in: dir)) != 0 {
                            let e = errno
                            if e == ENOENT { retry.append(m.uid); continue }
                            throw MailStoreError.io("rename \(m.path(in: dir))", errno: e)
                        }
                    }
                    results[u.uid] = u
                    if u.flags != m.flags || u.keywords != m.keywords || u.suffix != m.suffix { changed.append(u) }
                }
                if retry.isEmpty || attempt == 1 { break }
                if let modSeq = try commitFlags(row, changed, key: MailboxKey(owner: owner, mailbox: n.canonical), &ev) {
                    for m in changed { results[m.uid]?.modSeq = modSeq }
                }
                changed = []
                // Another program renamed these files: learn their names and try once more.
                row = try syncLocked(owner, n, &ev)
                before = DirectoryTimes.read(dir)
                targets = try pool.read { db in try IndexedMessage.fetch(db, mailboxID: row.id, uids: retry) }
                if let unchangedSince {
                    modified += targets.filter { $0.modSeq > unchangedSince }.map(\.uid)
                    targets.removeAll { $0.modSeq > unchangedSince }
                }
                retry = []
            }
            if let modSeq = try commitFlags(row, changed, key: MailboxKey(owner: owner, mailbox: n.canonical), &ev) {
                for m in changed { results[m.uid]?.modSeq = modSeq }
            }
            try noteOwnChanges(row, dir: dir, before: before)
            let sorted = results.values.sorted { $0.uid < $1.uid }
            return FlagStoreResult(states: sorted.map(\.state), modSeqs: sorted.map(\.modSeq), modified: modified.sorted())
        }
    }

    /// Writes the changed rows with a new mod-sequence and returns it (nil when nothing changed).
    private func commitFlags(_ row: MailboxRow, _ changed: [IndexedMessage], key: MailboxKey, _ ev: inout Events) throws -> Int64? {
        if changed.isEmpty { return nil }
        let modSeq = try pool.write { db in
            let modSeq = try MailboxRow.bumpModSeq(db, id: row.id, floor: modSeqFloor())
            let upd = try db.cachedStatement(sql: """
                UPDATE mailstore_message SET flags = ?, keywords = ?, suffix = ?, inNew = ?, modSeq = ? WHERE mailboxID = ? AND uid = ?
                """)
            for m in changed {
                try upd.execute(arguments: [Int64(m.flags.rawValue), Keywords.encode(m.keywords), m.suffix, m.inNew, modSeq, row.id, Int64(m.uid)])
            }
            return modSeq
        }
        ev.append((key, .flagsChanged(changed.map(\.state))))
        return modSeq
    }

    /// Removes the messages flagged \Deleted (only those among `uids` when given, UID EXPUNGE)
    /// and returns their UIDs, ascending. UIDs are never reused.
    @discardableResult
    public func expunge(owner: String, mailbox: String, uids: [UInt32]? = nil) throws -> [UInt32] {
        let n = try MailboxName(mailbox)
        return try withOwner(owner) { ev in
            let dir = try mailboxDirectory(owner, n)
            let row = try syncLocked(owner, n, &ev)
            let doomed = try pool.read { db in try IndexedMessage.fetch(db, mailboxID: row.id, uids: uids) }.filter { $0.flags.contains(.deleted) }
            return try removeLocked(owner, n, row, doomed, dir: dir, &ev)
        }
    }

    /// Unlinks the files (already gone is fine) and drops the rows.
    func removeLocked(_ owner: String, _ name: MailboxName, _ row: MailboxRow, _ doomed: [IndexedMessage], dir: String,
                      _ ev: inout Events) throws -> [UInt32] {
        if doomed.isEmpty { return [] }
        let before = DirectoryTimes.read(dir)
        var gone: [UInt32] = []
        for m in doomed {
            if unlink(m.path(in: dir)) == 0 || errno == ENOENT { gone.append(m.uid) }
        }
        try pool.write { db in
            let modSeq = try MailboxRow.bumpModSeq(db, id: row.id, floor: modSeqFloor())
            let del = try db.cachedStatement(sql: "DELETE FROM mailstore_message WHERE mailboxID = ? AND uid = ?")
            for uid in gone { try del.execute(arguments: [row.id, Int64(uid)]) }
            try Self.recordExpunged(db, mailboxID: row.id, uids: gone, modSeq: modSeq)
        }
        try noteOwnChanges(row, dir: dir, before: before)
        gone.sort()
        if !gone.isEmpty { ev.append((MailboxKey(owner: owner, mailbox: name.canonical), .expunged(uids: gone))) }
        return gone
    }
}
