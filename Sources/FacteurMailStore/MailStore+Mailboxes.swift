import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// LIST, CREATE, DELETE, RENAME, SUBSCRIBE (RFC 3501 §6.3.3–6.3.9) and new users' folders.
extension MailStore {
    /// Creates the owner's Maildir, INBOX and the special-use folders (RFC 6154) Sent, Drafts,
    /// Trash, Junk, Archive, each subscribed when it is created. Idempotent; a folder that
    /// already exists keeps its subscription and gets the special use if it has none.
    public func ensureUser(_ owner: String) throws {
        try withOwner(owner) { ev in
            let user = try userDirectory(owner)
            try MaildirIO.makeMaildir(user)
            // Deleted folders interrupted by a crash before their files were removed.
            for leftover in try MaildirIO.list(user + "/tmp") where leftover.hasPrefix(Self.deletedFolderPrefix) {
                MaildirIO.removeTree(user + "/tmp/" + leftover)
            }
            // APPEND spools of a previous process (killed in mid-literal).
            for leftover in try MaildirIO.list(user + "/tmp") where Self.isStaleAppendSpool(leftover) {
                unlink(user + "/tmp/" + leftover)
            }
            let hadInbox = try pool.read { db in try MailboxRow.fetch(db, owner: owner, name: "INBOX") } != nil
            try syncLocked(owner, .inbox, &ev)
            if !hadInbox { try setSubscribed(owner, "INBOX", true) }
            for (folder, use) in SpecialUse.defaultFolders {
                let name = MailboxName(unchecked: [folder])
                if try mailboxExists(owner, name) {
                    try syncLocked(owner, name, &ev)
                    try pool.write { db in
                        try db.execute(sql: "UPDATE mailstore_mailbox SET specialUse = ? WHERE owner = ? AND name = ? AND specialUse IS NULL",
                                       arguments: [use.rawValue, owner, folder])
                    }
                } else {
                    try createLocked(owner, name, specialUse: use, &ev)
                    try setSubscribed(owner, folder, true)
                }
            }
        }
    }

    /// Every mailbox of the owner, with implied parents as \Noselect, sorted (INBOX first).
    /// Folder directories created by other programs are adopted here, and index rows whose
    /// directory was removed are dropped.
    public func listMailboxes(owner: String) throws -> [MailboxListEntry] {
        try withOwner(owner) { ev in
            let rows = try discoverLocked(owner, &ev)
            let subs = Set(try subscriptionsRead(owner))
            var names = Set(rows.map { try? MailboxName($0.name) }.compactMap { $0 })
            let real = names
            for n in real { for a in n.ancestors { names.insert(a) } }
            let uses = Dictionary(rows.map { ($0.name, $0.specialUse) }, uniquingKeysWith: { a, _ in a })
            var parents = Set<MailboxName>()
            for n in names { if let p = n.parent { parents.insert(p) } }
            return names.sorted().map { n in
                MailboxListEntry(name: n.canonical, noselect: !real.contains(n), hasChildren: parents.contains(n),
                                 subscribed: subs.contains(n.canonical), specialUse: uses[n.canonical] ?? nil)
            }
        }
    }

    /// CREATE: makes the folder and any missing parents (RFC 3501 §6.3.3). Returns the
    /// canonical name.
    @discardableResult
    public func createMailbox(owner: String, name: String, specialUse: SpecialUse? = nil) throws -> String {
        let n = try MailboxName(name)
        try withOwner(owner) { ev in try createLocked(owner, n, specialUse: specialUse, &ev) }
        return n.canonical
    }

    /// DELETE (RFC 3501 §6.3.4): removes the folder and its messages. A folder with inferiors
    /// is removed too; its name then lists as \Noselect while the inferiors exist. INBOX and
    /// \Noselect names with inferiors are refused. Subscriptions are kept (§6.3.6).
    public func deleteMailbox(owner: String, name: String) throws {
        let n = try MailboxName(name)
        if n.isInbox { throw MailStoreError.cannotDeleteInbox }
        try withOwner(owner) { ev in
            let rows = try discoverLocked(owner, &ev)
            guard let row = rows.first(where: { $0.name == n.canonical }) else {
                let hasInferiors = rows.contains { (try? MailboxName($0.name))?.isInferior(of: n) == true }
                throw hasInferiors ? MailStoreError.noselectWithChildren(n.canonical) : MailStoreError.noSuchMailbox(n.canonical)
            }
            let dir = try mailboxDirectory(owner, n)
            let trash = try userDirectory(owner) + "/tmp/" + Self.deletedFolderPrefix + UUID().uuidString
            try MaildirIO.rename(dir, trash)
            try pool.write { db in try db.execute(sql: "DELETE FROM mailstore_mailbox WHERE id = ?", arguments: [row.id]) }
            ev.append((MailboxKey(owner: owner, mailbox: n.canonical), .gone))
            MaildirIO.removeTree(trash)
        }
    }

    /// RENAME (RFC 3501 §6.3.5): inferiors move with the folder, UIDVALIDITY and UIDs are kept,
    /// subscriptions follow. Renaming INBOX moves its messages into a new folder (new UIDs)
    /// and leaves INBOX empty; INBOX's inferiors stay.
    public func renameMailbox(owner: String, from: String, to: String) throws {
        let old = try MailboxName(from)
        let new = try MailboxName(to)
        if new.isInbox || new == old { throw MailStoreError.alreadyExists(new.canonical) }
        if new.isInferior(of: old) { throw MailStoreError.invalidName(new.canonical, reason: "cannot move a mailbox below itself") }
        try withOwner(owner) { ev in
            let rows = try discoverLocked(owner, &ev)
            let existing = Set(rows.map(\.name))
            if existing.contains(new.canonical) { throw MailStoreError.alreadyExists(new.canonical) }
            if old.isInbox {
                try createLocked(owner, new, specialUse: nil, &ev)
                let inbox = try syncLocked(owner, .inbox, &ev)
                let uids = try pool.read { db in
                    try Int64.fetchAll(db, sql: "SELECT uid FROM mailstore_message WHERE mailboxID = ? ORDER BY uid", arguments: [inbox.id])
                }.map { UInt32(truncatingIfNeeded: $0) }
                _ = try transferLocked(owner, from: MailboxName.inbox, uids: uids, to: new, copy: false, &ev)
                return
            }
            let moving = rows.compactMap { r -> (MailboxRow, MailboxName)? in
                guard let n = try? MailboxName(r.name), n == old || n.isInferior(of: old) else { return nil }
                return (r, n)
            }
            if moving.isEmpty { throw MailStoreError.noSuchMailbox(old.canonical) }
            for (_, n) in moving where existing.contains(n.reparented(from: old, to: new).canonical) {
                throw MailStoreError.alreadyExists(n.reparented(from: old, to: new).canonical)
            }
            for a in new.ancestors where !a.isInbox && !existing.contains(a.canonical) {
                try createLocked(owner, a, specialUse: nil, &ev)
            }
            for (row, n) in moving {
                let target = n.reparented(from: old, to: new)
                try MaildirIO.rename(try mailboxDirectory(owner, n), try mailboxDirectory(owner, target))
                try pool.write { db in
                    try db.execute(sql: "UPDATE mailstore_mailbox SET name = ? WHERE id = ?", arguments: [target.canonical, row.id])
                    try db.execute(sql: "UPDATE OR REPLACE mailstore_subscription SET name = ? WHERE owner = ? AND name = ?",
                                   arguments: [target.canonical, owner, n.canonical])
                }
                ev.append((MailboxKey(owner: owner, mailbox: n.canonical), .gone))
            }
        }
    }

    /// SUBSCRIBE / UNSUBSCRIBE (RFC 3501 §6.3.6–6.3.7). Any valid name may be subscribed.
    public func subscribe(owner: String, name: String) throws {
        let n = try MailboxName(name)
        try setSubscribed(owner, n.canonical, true)
    }

    public func unsubscribe(owner: String, name: String) throws {
        let n = try MailboxName(name)
        try setSubscribed(owner, n.canonical, false)
    }

    /// Subscribed names, sorted (LSUB; may include names that do not exist).
    public func subscriptions(owner: String) throws -> [String] {
        try subscriptionsRead(owner)
    }

    // MARK: Internals

    /// A deleted folder is first renamed to `<user>/tmp/<prefix><uuid>` (out of every Maildir
    /// reader's sight, atomically), then removed.
    static let deletedFolderPrefix = "deleted-mailbox-"

    func subscriptionsRead(_ owner: String) throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM mailstore_subscription WHERE owner = ? ORDER BY name", arguments: [owner])
        }
    }

    func setSubscribed(_ owner: String, _ name: String, _ on: Bool) throws {
        try pool.write { db in
            if on {
                try db.execute(sql: "INSERT OR IGNORE INTO mailstore_subscription (owner, name) VALUES (?, ?)", arguments: [owner, name])
            } else {
                try db.execute(sql: "DELETE FROM mailstore_subscription WHERE owner = ? AND name = ?", arguments: [owner, name])
            }
        }
    }

    func mailboxExists(_ owner: String, _ name: MailboxName) throws -> Bool {
        MaildirIO.fileStat(try mailboxDirectory(owner, name) + "/cur")?.isDirectory == true
    }

    func createLocked(_ owner: String, _ name: MailboxName, specialUse: SpecialUse?, _ ev: inout Events) throws {
        let exists = try mailboxExists(owner, name)
        if name.isInbox || exists { throw MailStoreError.alreadyExists(name.canonical) }
        let count = try pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM mailstore_mailbox WHERE owner = ?", arguments: [owner]) ?? 0
        }
        if count + name.components.count > MailStoreLimits.maxMailboxesPerOwner {
            throw MailStoreError.invalidName(name.canonical, reason: "more than \(MailStoreLimits.maxMailboxesPerOwner) mailboxes")
        }
        try MaildirIO.makeMaildir(try userDirectory(owner))
        for a in name.ancestors where !a.isInbox {
            if try !mailboxExists(owner, a) { try createLocked(owner, a, specialUse: nil, &ev) }
        }
        let dir = try mailboxDirectory(owner, name)
        try MaildirIO.makeMaildir(dir)
        try pool.write { db in
            if let stale = try MailboxRow.fetch(db, owner: owner, name: name.canonical) {
                try db.execute(sql: "DELETE FROM mailstore_mailbox WHERE id = ?", arguments: [stale.id])
                ev.append((MailboxKey(owner: owner, mailbox: name.canonical), .gone))
            }
            _ = try MailboxRow.create(db, store: self, owner: owner, name: name.canonical, specialUse: specialUse)
        }
    }

    /// Reconciles the owner's folder rows with the folder directories on disk; returns the rows.
    func discoverLocked(_ owner: String, _ ev: inout Events) throws -> [MailboxRow] {
        let user = try userDirectory(owner)
        try syncLocked(owner, .inbox, &ev)
        var onDisk = Set<String>()
        for d in try MaildirIO.list(user, dotDirectories: true) {
            guard onDisk.count < MailStoreLimits.maxMailboxesPerOwner, let n = MailboxName(directoryName: d),
                  MaildirIO.fileStat(user + "/" + d + "/cur")?.isDirectory == true else { continue }
            onDisk.insert(n.canonical)
        }
        let rows = try pool.read { db in try MailboxRow.all(db, owner: owner) }
        let indexed = Set(rows.map(\.name))
        for r in rows where r.name != "INBOX" && !onDisk.contains(r.name) {
            try pool.write { db in try db.execute(sql: "DELETE FROM mailstore_mailbox WHERE id = ?", arguments: [r.id]) }
            ev.append((MailboxKey(owner: owner, mailbox: r.name), .gone))
        }
        let missing = onDisk.subtracting(indexed)
        if !missing.isEmpty {
            try pool.write { db in
                for name in missing.sorted() {
                    _ = try MailboxRow.create(db, store: self, owner: owner, name: name, specialUse: nil)
                }
            }
        }
        return try pool.read { db in try MailboxRow.all(db, owner: owner) }
    }
}
