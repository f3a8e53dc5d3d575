import Foundation
import GRDB

/// SELECT / EXAMINE / STATUS and the read side of FETCH.
extension MailStore {
    /// SELECT (`readOnly: false`) or EXAMINE (`true`), RFC 3501 §6.3.1–6.3.2. Syncs first.
    /// A read-write select moves the files of new/ into cur/ and claims every \Recent message
    /// for this session: they are returned in `recent` and are not recent for anyone else.
    /// EXAMINE returns the \Recent messages too (§6.3.2: it reports RECENT) but leaves them
    /// recent for the next read-write session.
    public func select(owner: String, mailbox: String, readOnly: Bool) throws -> MailboxSnapshot {
        let n = try MailboxName(mailbox)
        return try withOwner(owner) { ev in
            let row = try syncLocked(owner, n, &ev)
            let recent = readOnly ? try recentLocked(row) : try claimRecentLocked(owner, n, row)
            var snapshot = try pool.read { db in try Self.snapshot(db, row: row, recent: recent, readOnly: readOnly) }
            snapshot.keywords = MaildirKeywords.load(try mailboxDirectory(owner, n)).names.compactMap { $0 }
            return snapshot
        }
    }

    /// Claims \Recent for a session that is already selected (read-write) and was told of new
    /// messages (`MailboxEvent.added`): moves new/ files into cur/ and returns the UIDs that
    /// were still recent. Other sessions will not see them as recent.
    public func claimRecent(owner: String, mailbox: String) throws -> [UInt32] {
        let n = try MailboxName(mailbox)
        return try withOwner(owner) { ev in
            let row = try syncLocked(owner, n, &ev)
            return try claimRecentLocked(owner, n, row)
        }
    }

    /// STATUS (RFC 3501 §6.3.10), after a sync. Does not claim \Recent.
    public func status(owner: String, mailbox: String) throws -> MailboxStatus {
        let n = try MailboxName(mailbox)
        return try withOwner(owner) { ev in
            let row = try syncLocked(owner, n, &ev)
            return try pool.read { db in
                let r = try Row.fetchOne(db, sql: """
                    SELECT COUNT(*), TOTAL(recent), TOTAL((flags & 1) = 0), TOTAL(size)
                    FROM mailstore_message WHERE mailboxID = ?
                    """, arguments: [row.id])
                return MailboxStatus(messages: r?[0] ?? 0, recent: Int(r?[1] as Double? ?? 0), uidNext: row.uidNext,
                                     uidValidity: row.uidValidity, unseen: Int(r?[2] as Double? ?? 0),
                                     size: Int64(r?[3] as Double? ?? 0), highestModSeq: row.highestModSeq)
            }
        }
    }

    /// UIDs, flags and keywords of every message as the index has them now (no sync): FETCH
    /// 1:* FLAGS for a session that keeps its own view current through `MailboxChanges`.
    public func messageStates(owner: String, mailbox: String) throws -> [MessageState] {
        let n = try MailboxName(mailbox)
        return try pool.read { db in
            guard let row = try MailboxRow.fetch(db, owner: owner, name: n.canonical) else { throw MailStoreError.noSuchMailbox(n.canonical) }
            return try Self.snapshot(db, row: row, recent: [], readOnly: true).messages
        }
    }

    /// Size, INTERNALDATE, flags and path of some messages (ordered by UID; unknown UIDs are
    /// left out).
    public func messageInfos(owner: String, mailbox: String, uids: [UInt32]) throws -> [MessageInfo] {
        let n = try MailboxName(mailbox)
        let dir = try mailboxDirectory(owner, n)
        return try pool.read { db in
            guard let row = try MailboxRow.fetch(db, owner: owner, name: n.canonical) else { throw MailStoreError.noSuchMailbox(n.canonical) }
            return try IndexedMessage.fetch(db, mailboxID: row.id, uids: uids).map { m in
                MessageInfo(uid: m.uid, size: m.size, internalDate: Date(timeIntervalSince1970: m.internalDate), flags: m.flags,
                            keywords: m.keywords, base: m.base, path: m.path(in: dir))
            }
        }
    }

    /// INTERNALDATE and size of every message, by ascending UID: one scan of three columns (the
    /// IMAP server's message table reads them once per mailbox, then only for new messages).
    public func messageDetails(owner: String, mailbox: String) throws -> [MessageDetails] {
        let n = try MailboxName(mailbox)
        return try pool.read { db in
            guard let row = try MailboxRow.fetch(db, owner: owner, name: n.canonical) else { throw MailStoreError.noSuchMailbox(n.canonical) }
            var out: [MessageDetails] = []
            out.reserveCapacity(Int(min(row.uidNext, 1 << 17)))
            let cursor = try Row.fetchCursor(db, sql: "SELECT uid, internalDate, size FROM mailstore_message WHERE mailboxID = ? ORDER BY uid",
                                             arguments: [row.id])
            while let r = try cursor.next() {
                out.append(MessageDetails(uid: UInt32(truncatingIfNeeded: r[0] as Int64),
                                          internalDate: Date(timeIntervalSince1970: r[1] as Double), size: r[2] as Int64))
            }
            return out
        }
    }

    public func messageInfo(owner: String, mailbox: String, uid: UInt32) throws -> MessageInfo? {
        try messageInfos(owner: owner, mailbox: mailbox, uids: [uid]).first
    }

    /// Where the message's file is now, to read its bytes; nil when it was expunged. When
    /// another program renamed the file since the index saw it, the mailbox is synced once.
    public func messagePath(owner: String, mailbox: String, uid: UInt32) throws -> String? {
        if let p = try messageInfo(owner: owner, mailbox: mailbox, uid: uid)?.path, MaildirIO.exists(p) { return p }
        try sync(owner: owner, mailbox: mailbox)
        guard let p = try messageInfo(owner: owner, mailbox: mailbox, uid: uid)?.path, MaildirIO.exists(p) else { return nil }
        return p
    }

    // MARK: Internals

    /// One ordered range scan of the mailbox's rows into an array of values.
    static func snapshot(_ db: Database, row: MailboxRow, recent: [UInt32], readOnly: Bool) throws -> MailboxSnapshot {
        var messages: [MessageState] = []
        messages.reserveCapacity(Int(min(row.uidNext, 1 << 17)))
        var modSeqs: [Int64] = []
        modSeqs.reserveCapacity(messages.capacity)
        var firstUnseen: Int?
        let cursor = try Row.fetchCursor(db, sql: "SELECT uid, flags, keywords, modSeq FROM mailstore_message WHERE mailboxID = ? ORDER BY uid",
                                         arguments: [row.id])
        while let r = try cursor.next() {
            let flags = MessageFlags(rawValue: UInt8(truncatingIfNeeded: r[1] as Int64))
            let keywords: [String] = r.hasNull(atIndex: 2) ? [] : Keywords.decode(r[2])
            messages.append(MessageState(uid: UInt32(truncatingIfNeeded: r[0] as Int64), flags: flags, keywords: keywords))
            modSeqs.append(r[3])
            if firstUnseen == nil, !flags.contains(.seen) { firstUnseen = messages.count }
        }
        return MailboxSnapshot(name: row.name, uidValidity: row.uidValidity, uidNext: row.uidNext, highestModSeq: row.highestModSeq,
                               messages: messages, recent: recent, firstUnseen: firstUnseen, readOnly: readOnly, modSeqs: modSeqs)
    }

    /// The UIDs still \Recent, unclaimed.
    func recentLocked(_ row: MailboxRow) throws -> [UInt32] {
        try pool.read { db in
            try Int64.fetchAll(db, sql: "SELECT uid FROM mailstore_message WHERE mailboxID = ? AND recent = 1 ORDER BY uid",
                               arguments: [row.id]).map { UInt32(truncatingIfNeeded: $0) }
        }
    }

    /// Moves new/ files to cur/ (adding the `:2,` info) and clears \Recent; returns the UIDs
    /// that were recent.
    func claimRecentLocked(_ owner: String, _ name: MailboxName, _ row: MailboxRow) throws -> [UInt32] {
        let dir = try mailboxDirectory(owner, name)
        let before = DirectoryTimes.read(dir)
        let pending = try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT \(IndexedMessage.columns) FROM mailstore_message WHERE mailboxID = ? AND (recent = 1 OR inNew = 1) ORDER BY uid",
                             arguments: [row.id]).map(IndexedMessage.init(row:))
        }
        if pending.isEmpty { return [] }
        var moved: [(UInt32, String)] = []
        for m in pending where m.inNew {
            let suffix = MaildirFilename.suffix(flags: m.flags, keeping: m.suffix)
            if (try? MaildirIO.rename(m.path(in: dir), dir + "/cur/" + m.base + suffix)) != nil {
                moved.append((m.uid, suffix))
            }
        }
        try pool.write { db in
            let upd = try db.cachedStatement(sql: "UPDATE mailstore_message SET inNew = 0, suffix = ? WHERE mailboxID = ? AND uid = ?")
            for (uid, suffix) in moved { try upd.execute(arguments: [suffix, row.id, Int64(uid)]) }
            try db.execute(sql: "UPDATE mailstore_message SET recent = 0 WHERE mailboxID = ? AND recent = 1", arguments: [row.id])
        }
        try noteOwnChanges(row, dir: dir, before: before)
        return pending.filter(\.recent).map(\.uid)
    }
}
