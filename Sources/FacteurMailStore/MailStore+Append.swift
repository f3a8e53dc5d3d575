import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// The bytes of a message to append.
public enum AppendSource: Sendable {
    case bytes([UInt8])
    /// A file the caller spooled (e.g. an IMAP literal); it is copied, not taken over.
    case file(path: String)
    /// A spooled message (a streamed IMAP literal), renamed into place: the spool is consumed,
    /// stored on success and removed when `append` throws.
    case spool(AppendSpool)
}

/// UIDPLUS (RFC 4315) data for APPENDUID / COPYUID.
public struct AppendResult: Sendable, Equatable {
    public var uidValidity: UInt32
    public var uid: UInt32
}

public struct TransferResult: Sendable, Equatable {
    /// UIDVALIDITY of the destination.
    public var uidValidity: UInt32
    /// (source UID, destination UID), in source UID order; messages that had vanished are absent.
    public var mapping: [(UInt32, UInt32)]

    public static func == (a: TransferResult, b: TransferResult) -> Bool {
        a.uidValidity == b.uidValidity && a.mapping.elementsEqual(b.mapping, by: { $0 == $1 })
    }
}

/// APPEND (RFC 3501 §6.3.11), COPY (§6.4.7), MOVE (RFC 6851).
extension MailStore {
    /// Writes the message durably (tmp/, fsync, rename into cur/ with its flags and keyword
    /// letters, fsync cur/) and indexes it as \Recent. The file's mtime and the leading seconds of its name are the
    /// INTERNALDATE. Throws `noSuchMailbox` when the folder does not exist ([TRYCREATE]).
    @discardableResult
    public func append(owner: String, mailbox: String, source: AppendSource, flags: MessageFlags = [],
                       keywords: [String] = [], internalDate: Date? = nil) throws -> AppendResult {
        // A spool is consumed whatever happens: stored below, or removed when anything throws.
        defer { if case .spool(let spool) = source { spool.discard() } }
        let n = try MailboxName(mailbox)
        for k in keywords { try Keywords.validate(k) }
        let kw = Keywords.merge([], keywords)
        if kw.count > MailStoreLimits.maxKeywordsPerMessage { throw MailStoreError.invalidKeyword("more than \(MailStoreLimits.maxKeywordsPerMessage) keywords") }
        let date = internalDate ?? now()
        return try withOwner(owner) { ev in
            let row = try syncLocked(owner, n, &ev)
            let dir = try mailboxDirectory(owner, n)
            let before = DirectoryTimes.read(dir)
            let name = uniqueName(time: date)
            let letters = kw.isEmpty ? [] : MaildirKeywords.ensuring(kw, in: dir).letters(kw)
            func indexed(size: Int) -> IndexedMessage {
                IndexedMessage(uid: 0, base: "\(name),S=\(size)", suffix: MaildirFilename.suffix(flags: flags, keywordLetters: letters, keeping: ""),
                               inNew: false, flags: flags, keywords: kw, recent: true,
                               internalDate: date.timeIntervalSince1970, size: Int64(size), modSeq: 0)
            }
            let m: IndexedMessage
            if case .spool(let spool) = source {
                // Already on this file system: sealed (fsync, mtime) and renamed into cur/.
                m = indexed(size: try spool.seal(mtime: date))
                try spool.place(at: m.path(in: dir))
                try MaildirIO.fsyncDirectory(dir + "/cur")
            } else {
                let tmp = dir + "/tmp/" + name
                m = indexed(size: try MaildirIO.createDurable(tmp, mtime: date) { fd throws(MailStoreError) in
                    switch source {
                    case .bytes(let b):
                        let failure: MailStoreError? = b.withUnsafeBytes { p in
                            do throws(MailStoreError) { try MaildirIO.writeAll(fd, p, path: tmp); return nil } catch { return error }
                        }
                        if let failure { throw failure }
                        return b.count
                    case .file(let path):
                        return try MaildirIO.copy(from: path, to: fd, path: tmp)
                    case .spool:
                        preconditionFailure("spools are renamed, not copied")
                    }
                })
                do {
                    try MaildirIO.rename(tmp, m.path(in: dir))
                    try MaildirIO.fsyncDirectory(dir + "/cur")
                } catch {
                    unlink(tmp)
                    throw error
                }
            }
            let uids = try insertLocked(owner, n, row, [m], &ev)
            try noteOwnChanges(row, dir: dir, before: before)
            guard let uid = uids.first else { throw MailStoreError.noSuchMailbox(n.canonical) }
            indexSortFields(mailboxID: row.id, uid: uid, path: m.path(in: dir))
            return AppendResult(uidValidity: row.uidValidity, uid: uid)
        }
    }

    /// COPY: hard links (a byte copy across file systems) under new unique names in the
    /// destination's cur/, with the same flags and keywords, \Recent there.
    @discardableResult
    public func copy(owner: String, from: String, uids: [UInt32], to: String) throws -> TransferResult {
        let src = try MailboxName(from)
        let dst = try MailboxName(to)
        return try withOwner(owner) { ev in try transferLocked(owner, from: src, uids: uids, to: dst, copy: true, &ev) }
    }

    /// MOVE: renames the files into the destination's cur/ (keeping their unique names when
    /// possible), then the source rows are expunged.
    @discardableResult
    public func move(owner: String, from: String, uids: [UInt32], to: String) throws -> TransferResult {
        let src = try MailboxName(from)
        let dst = try MailboxName(to)
        return try withOwner(owner) { ev in try transferLocked(owner, from: src, uids: uids, to: dst, copy: false, &ev) }
    }

    func transferLocked(_ owner: String, from src: MailboxName, uids: [UInt32], to dst: MailboxName, copy: Bool,
                        _ ev: inout Events) throws -> TransferResult {
        let srcRow = try syncLocked(owner, src, &ev)
        let dstRow = try syncLocked(owner, dst, &ev)
        let srcDir = try mailboxDirectory(owner, src)
        let dstDir = try mailboxDirectory(owner, dst)
        let srcBefore = DirectoryTimes.read(srcDir)
        let dstBefore = DirectoryTimes.read(dstDir)
        let messages = try pool.read { db in try IndexedMessage.fetch(db, mailboxID: srcRow.id, uids: uids) }
        // Keyword letters name entries of each folder's own table: given anew for the destination.
        let keywords = messages.reduce(into: [String]()) { $0 = Keywords.merge($0, $1.keywords) }
        let table = keywords.isEmpty ? MaildirKeywords() : MaildirKeywords.ensuring(keywords, in: dstDir)
        var placed: [(old: IndexedMessage, new: IndexedMessage)] = []
        for m in messages {
            var d = m
            d.inNew = false
            d.recent = true
            d.suffix = keywords.isEmpty ? MaildirFilename.suffix(flags: m.flags, keeping: m.suffix)
                                        : MaildirFilename.suffix(flags: m.flags, keywordLetters: table.letters(m.keywords), keeping: m.suffix)
            var keepBase = !copy && src != dst && !MaildirIO.exists(dstDir + "/new/" + m.base)
            if keepBase {
                let taken = try pool.read { db in
                    try Bool.fetchOne(db, sql: "SELECT 1 FROM mailstore_message WHERE mailboxID = ? AND base = ?", arguments: [dstRow.id, m.base])
                }
                keepBase = taken != true
            }
            if !keepBase {
                d.base = uniqueName(time: Date(timeIntervalSince1970: m.internalDate)) + ",S=\(m.size)"
            }
            let from = m.path(in: srcDir)
            let to = d.path(in: dstDir)
            if copy {
                if link(from, to) != 0 {
                    let e = errno
                    if e == ENOENT { continue }
                    guard e == EXDEV || e == EMLINK || e == EPERM else { throw MailStoreError.io("link \(from)", errno: e) }
                    let tmp = dstDir + "/tmp/" + d.base
                    _ = try MaildirIO.createDurable(tmp, mtime: Date(timeIntervalSince1970: m.internalDate)) { fd throws(MailStoreError) in
                        try MaildirIO.copy(from: from, to: fd, path: tmp)
                    }
                    do { try MaildirIO.rename(tmp, to) } catch { unlink(tmp); throw error }
                }
            } else if Glibc.rename(from, to) != 0 {
                let e = errno
                if e == ENOENT { continue }
                throw MailStoreError.io("rename \(from)", errno: e)
            }
            placed.append((m, d))
        }
        if !placed.isEmpty {
            try MaildirIO.fsyncDirectory(dstDir + "/cur")
            if !copy { try? MaildirIO.fsyncDirectory(srcDir + "/cur"); try? MaildirIO.fsyncDirectory(srcDir + "/new") }
        }
        // The files are in place; the index follows (a crash here is repaired by the next sync).
        if !copy {
            try pool.write { db in
                let modSeq = try MailboxRow.bumpModSeq(db, id: srcRow.id, floor: modSeqFloor())
                let del = try db.cachedStatement(sql: "DELETE FROM mailstore_message WHERE mailboxID = ? AND uid = ?")
                for p in placed { try del.execute(arguments: [srcRow.id, Int64(p.old.uid)]) }
                try Self.recordExpunged(db, mailboxID: srcRow.id, uids: placed.map(\.old.uid), modSeq: modSeq)
            }
            let gone = placed.map(\.old.uid)
            if !gone.isEmpty { ev.append((MailboxKey(owner: owner, mailbox: src.canonical), .expunged(uids: gone))) }
        }
        let fresh = try pool.read { db in try MailboxRow.fetch(db, owner: owner, name: dst.canonical) } ?? dstRow
        let newUIDs = try insertLocked(owner, dst, fresh, placed.map(\.new), &ev)
        try noteOwnChanges(dstRow, dir: dstDir, before: dstBefore)
        if !copy && src != dst { try noteOwnChanges(srcRow, dir: srcDir, before: srcBefore) }
        return TransferResult(uidValidity: dstRow.uidValidity, mapping: Array(zip(placed.map(\.old.uid), newUIDs)))
    }

    /// Indexes files already placed in the mailbox, with UIDs from `uidNext`; returns them.
    func insertLocked(_ owner: String, _ name: MailboxName, _ row: MailboxRow, _ messages: [IndexedMessage],
                      _ ev: inout Events) throws -> [UInt32] {
        if messages.isEmpty { return [] }
        let uids = try pool.write { db -> [UInt32] in
            guard let current = try MailboxRow.fetch(db, owner: owner, name: name.canonical) else {
                throw MailStoreError.noSuchMailbox(name.canonical)
            }
            let modSeq = try MailboxRow.bumpModSeq(db, id: current.id, floor: modSeqFloor())
            let ins = try db.cachedStatement(sql: """
                INSERT INTO mailstore_message (mailboxID, uid, base, suffix, inNew, flags, keywords, recent, internalDate, size, modSeq)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var uid = current.uidNext
            var out: [UInt32] = []
            for m in messages {
                guard uid < UInt32.max else { break }
                try ins.execute(arguments: [current.id, Int64(uid), m.base, m.suffix, m.inNew, Int64(m.flags.rawValue),
                                            Keywords.encode(m.keywords), m.recent, m.internalDate, m.size, modSeq])
                out.append(uid)
                uid += 1
            }
            try db.execute(sql: "UPDATE mailstore_mailbox SET uidNext = ? WHERE id = ?", arguments: [Int64(uid), current.id])
            return out
        }
        ev.append((MailboxKey(owner: owner, mailbox: name.canonical), .added(uids: uids)))
        return uids
    }
}
