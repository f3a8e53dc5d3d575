import Foundation
import GRDB
import FacteurMIME

public struct MailFolderSummary: Sendable, Equatable {
    public var name: String
    public var messages: Int
    public var unseen: Int
    public var size: Int64
}

public struct MailOwnerSummary: Sendable, Equatable {
    public var owner: String
    public var folders: [MailFolderSummary]
    public var messages: Int { folders.reduce(0) { $0 + $1.messages } }
    public var unseen: Int { folders.reduce(0) { $0 + $1.unseen } }
    public var size: Int64 { folders.reduce(0) { $0 + $1.size } }
}

public struct MailMessageSummary: Sendable, Equatable {
    /// The Maildir unique name, for `rawMessage(owner:mailbox:id:)`.
    public var id: String
    public var uid: UInt32
    /// The Date header, or INTERNALDATE when it is missing or unreadable.
    public var date: Date?
    /// Raw header values (unfolded, RFC 2047 words not decoded); "" when absent.
    public var from: String
    public var subject: String
    public var size: Int64
    public var flags: MessageFlags
    public var keywords: [String]
}

/// The administrator's read-only view. Nothing here changes a flag or moves a file out of
/// new/ (it syncs the index, which only records what is on disk).
extension MailStore {
    /// Every owner that has a directory under the mail root (`<root>/<domain>/<local>`), with
    /// their folders.
    public func summaries() throws -> [MailOwnerSummary] {
        var out: [MailOwnerSummary] = []
        for domain in (try? MaildirIO.list(mailRoot)) ?? [] {
            for local in (try? MaildirIO.list(mailRoot + "/" + domain)) ?? [] {
                guard MailOwner.isSafeComponent(domain), MailOwner.isSafeComponent(local),
                      MaildirIO.fileStat(mailRoot + "/" + domain + "/" + local)?.isDirectory == true else { continue }
                let owner = MailOwner.owner(domain: domain, local: local)
                out.append(MailOwnerSummary(owner: owner, folders: try folderSummaries(owner: owner)))
            }
        }
        return out.sorted { $0.owner < $1.owner }
    }

    /// The owner's folders (INBOX first) with counts, after syncing each.
    public func folderSummaries(owner: String) throws -> [MailFolderSummary] {
        try withOwner(owner) { ev in
            var out: [(MailboxName, MailFolderSummary)] = []
            for r in try discoverLocked(owner, &ev) {
                guard let n = try? MailboxName(r.name), let row = try? syncLocked(owner, n, &ev) else { continue }
                let agg = try pool.read { db in
                    try Row.fetchOne(db, sql: "SELECT COUNT(*), TOTAL((flags & 1) = 0), TOTAL(size) FROM mailstore_message WHERE mailboxID = ?",
                                     arguments: [row.id])
                }
                out.append((n, MailFolderSummary(name: r.name, messages: agg?[0] ?? 0, unseen: Int(agg?[1] as Double? ?? 0),
                                                 size: Int64(agg?[2] as Double? ?? 0))))
            }
            return out.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// A page of messages, newest (highest UID) first, with From / Subject / Date read from
    /// the first `MailStoreLimits.headerPeekBytes` of each file.
    public func messages(owner: String, mailbox: String, limit: Int, offset: Int = 0) throws -> [MailMessageSummary] {
        let n = try MailboxName(mailbox)
        let lim = max(0, min(limit, MailStoreLimits.maxConsolePage))
        let dir = try mailboxDirectory(owner, n)
        let rows = try withOwner(owner) { ev -> [IndexedMessage] in
            let row = try syncLocked(owner, n, &ev)
            return try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT \(IndexedMessage.columns) FROM mailstore_message WHERE mailboxID = ? ORDER BY uid DESC LIMIT ? OFFSET ?",
                                 arguments: [row.id, lim, max(0, offset)]).map(IndexedMessage.init(row:))
            }
        }
        return rows.map { m in
            let head = (try? MaildirIO.readPrefix(m.path(in: dir), max: MailStoreLimits.headerPeekBytes)) ?? []
            let h = HeaderSummary.parse(head)
            return MailMessageSummary(id: m.base, uid: m.uid,
                                      date: h.date.flatMap(RFC5322Date.parse) ?? Date(timeIntervalSince1970: m.internalDate),
                                      from: h.from ?? "", subject: h.subject ?? "", size: m.size, flags: m.flags, keywords: m.keywords)
        }
    }

    /// The stored bytes of the message with this unique name; nil when it is gone.
    public func rawMessage(owner: String, mailbox: String, id: String) throws -> [UInt8]? {
        let n = try MailboxName(mailbox)
        let dir = try mailboxDirectory(owner, n)
        for attempt in 0..<2 {
            let m = try pool.read { db -> IndexedMessage? in
                guard let row = try MailboxRow.fetch(db, owner: owner, name: n.canonical) else { return nil }
                return try Row.fetchOne(db, sql: "SELECT \(IndexedMessage.columns) FROM mailstore_message WHERE mailboxID = ? AND base = ?",
                                        arguments: [row.id, id]).map(IndexedMessage.init(row:))
            }
            if let m, let data = FileManager.default.contents(atPath: m.path(in: dir)) { return [UInt8](data) }
            if attempt == 0 { try sync(owner: owner, mailbox: n.canonical) }
        }
        return nil
    }
}
