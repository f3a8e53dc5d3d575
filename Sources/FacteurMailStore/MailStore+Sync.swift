import Foundation
import GRDB

/// Reconciling the index with the Maildir.
///
/// A sync compares the mtimes of new/ and cur/ with those stored by the last scan or by the
/// store's own last change (see `DirectoryTimes`); when both are unchanged nothing is read.
/// Otherwise the changed directories are listed (readdir only) and:
/// - files whose base the index does not know get UIDs from `uidNext`, in the order of their
///   delivery time (the `<seconds>.M<micros>` of the name, or the file mtime from `stat` when
///   the name has no time or no `,S=` size), then name;
/// - files whose info (`:2,…`) or directory changed update the system flags and the keywords
///   that have letters in the folder's `dovecot-keywords` (another tool renamed them);
/// - index rows whose file is gone are expunged — but only when the listing is known to be
///   complete (readdir may miss a file being renamed; see `syncLocked`).
/// An empty index (first run, lost database) is a sync where every file is new: flags and
/// lettered keywords come from the names, everything is inserted in one transaction.
extension MailStore {
    /// Brings the index of one mailbox up to date with its directory and posts what changed.
    public func sync(owner: String, mailbox: String) throws {
        let name = try MailboxName(mailbox)
        _ = try withOwner(owner) { ev in try syncLocked(owner, name, &ev) }
    }

    struct IndexedFile {
        var uid: UInt32
        var base: String
        var suffix: String
        var inNew: Bool
        var flags: MessageFlags
        var keywords: String?
    }

    struct NewFile {
        var base: String
        var entry: MaildirScan.Entry
        var size: Int64
        var sortKey: Int64   // microseconds since the epoch
        var internalDate: Double
        /// From the letters of its name (`MaildirKeywords`).
        var keywords: [String]
    }

    /// Syncs and returns the (updated) mailbox row. Creates the row for a folder directory the
    /// index does not know; throws `noSuchMailbox` when the directory does not exist (INBOX is
    /// created instead).
    @discardableResult
    func syncLocked(_ owner: String, _ name: MailboxName, _ events: inout Events) throws -> MailboxRow {
        let dir = try mailboxDirectory(owner, name)
        let key = MailboxKey(owner: owner, mailbox: name.canonical)
        let existing = try pool.read { db in try MailboxRow.fetch(db, owner: owner, name: name.canonical) }

        var newStat = MaildirIO.fileStat(dir + "/new")
        var curStat = MaildirIO.fileStat(dir + "/cur")
        // A folder is a directory with cur/ (as discovery sees it); a missing new/ or tmp/ is
        // recreated rather than taken for a deleted folder.
        if curStat?.isDirectory == true, newStat?.isDirectory != true {
            try MaildirIO.makeMaildir(dir)
            newStat = MaildirIO.fileStat(dir + "/new")
        }
        if newStat?.isDirectory != true || curStat?.isDirectory != true {
            guard name.isInbox else {
                if let gone = existing {
                    try pool.write { db in try db.execute(sql: "DELETE FROM mailstore_mailbox WHERE id = ?", arguments: [gone.id]) }
                    events.append((key, .gone))
                }
                throw MailStoreError.noSuchMailbox(name.canonical)
            }
            try MaildirIO.makeMaildir(dir)
            newStat = MaildirIO.fileStat(dir + "/new")
            curStat = MaildirIO.fileStat(dir + "/cur")
        }
        let newMtime = newStat?.mtimeNanos ?? 0
        let curMtime = curStat?.mtimeNanos ?? 0

        let mbox: MailboxRow
        if let existing { mbox = existing } else {
            mbox = try pool.write { db in
                try MailboxRow.fetch(db, owner: owner, name: name.canonical)
                    ?? MailboxRow.create(db, store: self, owner: owner, name: name.canonical, specialUse: nil)
            }
        }
        let start = MaildirIO.realNowNanos
        let settle = Int64(MailStoreLimits.directoryMtimeSettle * 1e9)
        let scanNew = DirectoryTimes.mustList(stored: mbox.newMtime, current: newMtime, now: start)
        let scanCur = DirectoryTimes.mustList(stored: mbox.curMtime, current: curMtime, now: start)
        if !scanNew && !scanCur { return mbox }

        var disk = try MaildirScan.read(dir, new: scanNew, cur: scanCur)

        // Index rows in the scanned directories.
        let known: [IndexedFile] = try pool.read { db in
            var where_ = "mailboxID = ?"
            if !(scanNew && scanCur) { where_ += scanNew ? " AND inNew = 1" : " AND inNew = 0" }
            var out: [IndexedFile] = []
            let rows = try Row.fetchCursor(db, sql: "SELECT uid, base, suffix, inNew, flags, keywords FROM mailstore_message WHERE \(where_)",
                                           arguments: [mbox.id])
            while let r = try rows.next() {
                out.append(IndexedFile(uid: UInt32(truncatingIfNeeded: r[0] as Int64), base: r[1], suffix: r[2], inNew: r[3],
                                       flags: MessageFlags(rawValue: UInt8(truncatingIfNeeded: r[4] as Int64)), keywords: r[5]))
            }
            return out
        }

        // The folder's keyword letters, read once and only when a name may carry some.
        var keywordTable: MaildirKeywords?
        func table() -> MaildirKeywords {
            if let keywordTable { return keywordTable }
            let loaded = MaildirKeywords.load(dir)
            keywordTable = loaded
            return loaded
        }

        var trustMtimes = true
        var changed: [(IndexedFile, MaildirScan.Entry, MessageFlags, [String])] = []
        var vanished: [IndexedFile] = []
        for f in known {
            if let e = disk.entries.removeValue(forKey: f.base) {
                if e.suffix != f.suffix || e.inNew != f.inNew {
                    let previous = Keywords.decode(f.keywords)
                    if e.inNew && e.suffix.isEmpty {
                        changed.append((f, e, f.flags, previous))
                    } else {
                        // Another program renamed the file: its info says the flags and lettered keywords.
                        let keywords = previous.isEmpty && !MaildirKeywords.hasLetters(e.suffix)
                            ? [] : Keywords.fromMaildir(suffix: e.suffix, previousSuffix: f.suffix, previous: previous, table: table())
                        changed.append((f, e, MaildirFilename.flags(suffix: e.suffix), keywords))
                    }
                }
            } else {
                vanished.append(f)
            }
        }

        // readdir can miss an entry that is renamed while it lists (another program changing
        // flags): a file that looks gone is only expunged when the listing is known to be
        // complete — each listed directory had the same mtime before and after, and that mtime
        // was older than the scan by more than the timestamp granularity. Otherwise the rows
        // stay, the mtimes are not stored, and the next sync (normally a few commands later)
        // decides.
        let stable = (!scanNew || (MaildirIO.fileStat(dir + "/new")?.mtimeNanos == newMtime && newMtime < start - settle))
            && (!scanCur || (MaildirIO.fileStat(dir + "/cur")?.mtimeNanos == curMtime && curMtime < start - settle))
        if !stable {
            trustMtimes = false
            vanished = []
        }

        // Files the index does not know yet. When only one directory was listed, a base may
        // still be indexed in the other one (moved while we looked): skip those.
        var fresh: [NewFile] = []
        fresh.reserveCapacity(disk.entries.count)
        for (base, e) in disk.entries {
            var size = MaildirFilename.size(base: base).map(Int64.init)
            var key: Int64
            var date: Double
            if let t = MaildirFilename.time(base: base), size != nil {
                key = Int64(t.seconds) * 1_000_000 + Int64(t.micros)
                date = Double(t.seconds) + Double(t.micros) / 1e6
            } else {
                let path = dir + (e.inNew ? "/new/" : "/cur/") + base + e.suffix
                guard let st = MaildirIO.fileStat(path) else { trustMtimes = false; continue }
                // A file from another program, without a size in its name: count what CRLF line
                // ends would add to its bare LFs, so RFC822.SIZE and POP3 LIST are exact.
                if size == nil { size = MaildirIO.crlfSize(path) ?? st.size }
                key = st.mtimeNanos / 1000
                date = Double(st.mtimeNanos) / 1e9
            }
            let keywords = MaildirKeywords.hasLetters(e.suffix) ? table().keywords(inSuffix: e.suffix) : []
            fresh.append(NewFile(base: base, entry: e, size: size ?? 0, sortKey: key, internalDate: date, keywords: keywords))
        }
        fresh.sort { $0.sortKey != $1.sortKey ? $0.sortKey < $1.sortKey : $0.base < $1.base }

        let storeNew = scanNew ? (trustMtimes && newMtime < start - settle ? newMtime : 0) : mbox.newMtime
        let storeCur = scanCur ? (trustMtimes && curMtime < start - settle ? curMtime : 0) : mbox.curMtime
        let partial = !(scanNew && scanCur)

        let result = try pool.write { db -> (MailboxRow, [UInt32], [UInt32], [MessageState]) in
            guard var row = try MailboxRow.fetch(db, owner: owner, name: name.canonical) else {
                throw MailStoreError.noSuchMailbox(name.canonical)
            }
            var added: [UInt32] = []
            var expunged: [UInt32] = []
            var flagChanges: [MessageState] = []
            var distrust = false
            let anyChange = !fresh.isEmpty || !vanished.isEmpty || !changed.isEmpty
            let modSeq = anyChange ? try MailboxRow.bumpModSeq(db, id: row.id, floor: modSeqFloor()) : row.highestModSeq

            if !vanished.isEmpty {
                let del = try db.cachedStatement(sql: "DELETE FROM mailstore_message WHERE mailboxID = ? AND uid = ?")
                for f in vanished {
                    try del.execute(arguments: [row.id, Int64(f.uid)])
                    expunged.append(f.uid)
                }
                try Self.recordExpunged(db, mailboxID: row.id, uids: expunged, modSeq: modSeq)
            }
            if !changed.isEmpty {
                let upd = try db.cachedStatement(sql: "UPDATE mailstore_message SET suffix = ?, inNew = ?, flags = ?, keywords = ?, modSeq = ? WHERE mailboxID = ? AND uid = ?")
                for (f, e, flags, keywords) in changed {
                    let encoded = Keywords.encode(keywords)
                    try upd.execute(arguments: [e.suffix, e.inNew, Int64(flags.rawValue), encoded, modSeq, row.id, Int64(f.uid)])
                    if flags != f.flags || encoded != f.keywords {
                        flagChanges.append(MessageState(uid: f.uid, flags: flags, keywords: keywords))
                    }
                }
            }
            if !fresh.isEmpty {
                let exists = try db.cachedStatement(sql: "SELECT 1 FROM mailstore_message WHERE mailboxID = ? AND base = ?")
                let ins = try db.cachedStatement(sql: """
                    INSERT INTO mailstore_message (mailboxID, uid, base, suffix, inNew, flags, keywords, recent, internalDate, size, modSeq)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                var uid = row.uidNext
                for f in fresh {
                    // Indexed in the directory we did not list: a full scan next time sorts it out.
                    if partial, try Bool.fetchOne(exists, arguments: [row.id, f.base]) == true { distrust = true; continue }
                    guard uid < UInt32.max else { distrust = true; break }
                    let flags = MaildirFilename.flags(suffix: f.entry.suffix)
                    try ins.execute(arguments: [row.id, Int64(uid), f.base, f.entry.suffix, f.entry.inNew, Int64(flags.rawValue),
                                                Keywords.encode(f.keywords), f.entry.inNew, f.internalDate, f.size, modSeq])
                    added.append(uid)
                    uid += 1
                }
                row.uidNext = uid
            }
            row.newMtime = distrust ? 0 : storeNew
            row.curMtime = distrust ? 0 : storeCur
            row.highestModSeq = modSeq
            try db.execute(sql: "UPDATE mailstore_mailbox SET uidNext = ?, newMtime = ?, curMtime = ? WHERE id = ?",
                           arguments: [Int64(row.uidNext), row.newMtime, row.curMtime, row.id])
            return (row, added, expunged.sorted(), flagChanges.sorted { $0.uid < $1.uid })
        }
        if !result.2.isEmpty { events.append((key, .expunged(uids: result.2))) }
        if !result.3.isEmpty { events.append((key, .flagsChanged(result.3))) }
        if !result.1.isEmpty { events.append((key, .added(uids: result.1))) }
        return result.0
    }
}
