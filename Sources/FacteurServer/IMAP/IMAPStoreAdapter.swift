import FacteurCore
import FacteurIMAPCore
import FacteurMailStore
import Foundation
import NIOPosix
import Synchronization

/// One logged-in user's mail as the IMAP session sees it: `IMAPMailStore` over the shared
/// `MailStore`. Every store call blocks (SQLite, fsync, rename), so it runs on the I/O pool.
///
/// The adapter remembers which mailbox the session selected read-write, so that a
/// resynchronisation (`snapshot`) claims \Recent for new messages there (RFC 3501 §2.3.2: the
/// first session to be told of a message sees it \Recent), and it caches INTERNALDATE and size
/// per UID (they never change) so that a resynchronisation reads only new messages' details.
final class IMAPStoreAdapter: IMAPMailStore {
    let owner: String
    let store: MailStore
    let pool: NIOThreadPool
    let hub: EventHub

    private struct Details: Sendable {
        var mailbox: String
        var readWrite: Bool
        var byUID: [UInt32: (date: Date, size: Int)]
    }
    /// The selected mailbox (store name) and its cached per-UID details.
    private let selected = Mutex<Details?>(nil)

    init(owner: String, store: MailStore, pool: NIOThreadPool, hub: EventHub) {
        self.owner = owner; self.store = store; self.pool = pool; self.hub = hub
    }

    /// Runs blocking store work on the I/O pool and turns store errors into IMAP refusals.
    private func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await pool.runIfActive(body)
        } catch let error as MailStoreError {
            if let refusal = IMAPStoreConversions.imapError(error) { throw refusal }
            hub.publish(.log(level: .error, message: "imap store for \(owner): \(error)"))
            throw error
        }
    }

    // MARK: Mailboxes

    func mailboxes() async throws -> [MailboxInfo] {
        let (owner, store) = (self.owner, self.store)
        let entries = try await run { try store.listMailboxes(owner: owner) }
        return entries.map { e in
            var attributes: [String] = e.noselect ? ["\\Noselect"] : []
            if let use = e.specialUse { attributes.append(use.rawValue) }
            return MailboxInfo(name: IMAPStoreConversions.wireName(e.name), attributes: attributes, subscribed: e.subscribed)
        }
    }

    func create(_ name: IMAPMailboxName) async throws {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(name))
        _ = try await run { try store.createMailbox(owner: owner, name: n) }
    }

    func delete(_ name: IMAPMailboxName) async throws {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(name))
        try await run { try store.deleteMailbox(owner: owner, name: n) }
    }

    func rename(_ name: IMAPMailboxName, to newName: IMAPMailboxName) async throws {
        let (owner, store) = (self.owner, self.store)
        let from = try IMAPStoreConversions.storeName(name), to = try IMAPStoreConversions.storeName(newName)
        try await run { try store.renameMailbox(owner: owner, from: from, to: to) }
    }

    func setSubscribed(_ name: IMAPMailboxName, _ subscribed: Bool) async throws {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(name))
        try await run {
            if subscribed { try store.subscribe(owner: owner, name: n) } else { try store.unsubscribe(owner: owner, name: n) }
        }
    }

    // MARK: Selection

    func select(_ name: IMAPMailboxName, readOnly: Bool) async throws -> IMAPMailboxSnapshot {
        let n = try IMAPStoreConversions.storeName(name)
        selected.withLock { $0 = nil }
        let snapshot = try await load(n, readOnly: readOnly, cached: [:])
        return snapshot
    }

    func snapshot(_ name: IMAPMailboxName) async throws -> IMAPMailboxSnapshot {
        let n = try IMAPStoreConversions.storeName(name)
        let current = selected.withLock { $0 }
        guard let current, current.mailbox == (try? MailboxName(n).canonical) else {
            return try await load(n, readOnly: true, cached: [:], remember: false)
        }
        return try await load(n, readOnly: !current.readWrite, cached: current.byUID)
    }

    /// Syncs the mailbox (claiming \Recent when read-write) and reads the details of the UIDs
    /// not in `cached`.
    private func load(_ name: String, readOnly: Bool, cached: [UInt32: (date: Date, size: Int)],
                      remember: Bool = true) async throws -> IMAPMailboxSnapshot {
        let (owner, store) = (self.owner, self.store)
        let (snap, infos) = try await run { () throws -> (MailboxSnapshot, [MessageInfo]) in
            let snap = try store.select(owner: owner, mailbox: name, readOnly: readOnly)
            let missing = snap.messages.map(\.uid).filter { cached[$0] == nil }
            let infos = missing.isEmpty ? [] : try store.messageInfos(owner: owner, mailbox: snap.name, uids: missing)
            return (snap, infos)
        }
        var details = cached
        for i in infos { details[i.uid] = (i.internalDate, Int(clamping: i.size)) }
        let present = Set(snap.messages.map(\.uid))
        details = details.filter { present.contains($0.key) }
        let records = snap.messages.map { m in
            let d = details[m.uid]
            return MessageRecord(uid: m.uid, flags: IMAPStoreConversions.flags(m.flags, m.keywords),
                                 internalDate: d?.date ?? Date(timeIntervalSince1970: 0), size: d?.size ?? 0)
        }
        if remember {
            let kept = details
            selected.withLock { $0 = Details(mailbox: snap.name, readWrite: !readOnly, byUID: kept) }
        }
        return IMAPMailboxSnapshot(uidValidity: snap.uidValidity, uidNext: snap.uidNext, messages: records,
                                   recent: Set(snap.recent))
    }

    func status(_ name: IMAPMailboxName) async throws -> IMAPMailboxStatus {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(name))
        let s = try await run { try store.status(owner: owner, mailbox: n) }
        return IMAPMailboxStatus(messages: UInt32(clamping: s.messages), recent: UInt32(clamping: s.recent), uidNext: s.uidNext,
                                 uidValidity: s.uidValidity, unseen: UInt32(clamping: s.unseen))
    }

    // MARK: Messages

    func messageBytes(_ mailbox: IMAPMailboxName, uid: UInt32) async throws -> [UInt8] {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(mailbox))
        return try await run { () throws -> [UInt8] in
            guard let path = try store.messagePath(owner: owner, mailbox: n, uid: uid),
                  let data = FileManager.default.contents(atPath: path) else { throw IMAPStoreError.nonexistent }
            return [UInt8](data)
        }
    }

    func storeFlags(_ mailbox: IMAPMailboxName, uids: [UInt32], flags: Set<Flag>,
                    mode: StoreAction.Mode) async throws -> [UInt32: Set<Flag>] {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(mailbox))
        let (system, keywords) = IMAPStoreConversions.storeFlags(flags)
        let op = IMAPStoreConversions.operation(mode)
        let states = try await run {
            try store.storeFlags(owner: owner, mailbox: n, uids: uids, operation: op, flags: system, keywords: keywords)
        }
        var out: [UInt32: Set<Flag>] = [:]
        for s in states { out[s.uid] = IMAPStoreConversions.flags(s.flags, s.keywords) }
        return out
    }

    func append(_ mailbox: IMAPMailboxName, message: [UInt8], flags: Set<Flag>, internalDate: Date) async throws -> IMAPAppendResult {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(mailbox))
        let (system, keywords) = IMAPStoreConversions.storeFlags(flags)
        // Stored with CRLF, so that the file size is RFC822.SIZE (RFC 3501 §2.2).
        let bytes = LineEndings.crlf(message)
        let r = try await run {
            try store.append(owner: owner, mailbox: n, source: .bytes(bytes), flags: system, keywords: keywords, internalDate: internalDate)
        }
        return IMAPAppendResult(uidValidity: r.uidValidity, uid: r.uid)
    }

    func copy(_ mailbox: IMAPMailboxName, uids: [UInt32], to destination: IMAPMailboxName) async throws -> IMAPCopyResult {
        try await transfer(mailbox, uids: uids, to: destination, move: false)
    }

    func move(_ mailbox: IMAPMailboxName, uids: [UInt32], to destination: IMAPMailboxName) async throws -> IMAPCopyResult {
        try await transfer(mailbox, uids: uids, to: destination, move: true)
    }

    private func transfer(_ mailbox: IMAPMailboxName, uids: [UInt32], to destination: IMAPMailboxName,
                          move: Bool) async throws -> IMAPCopyResult {
        let (owner, store) = (self.owner, self.store)
        let from = try IMAPStoreConversions.storeName(mailbox), to = try IMAPStoreConversions.storeName(destination)
        let r = try await run {
            move ? try store.move(owner: owner, from: from, uids: uids, to: to)
                 : try store.copy(owner: owner, from: from, uids: uids, to: to)
        }
        return IMAPCopyResult(uidValidity: r.uidValidity, sourceUIDs: r.mapping.map(\.0), destinationUIDs: r.mapping.map(\.1))
    }

    func expunge(_ mailbox: IMAPMailboxName, uids: [UInt32]) async throws {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(mailbox))
        _ = try await run { try store.expunge(owner: owner, mailbox: n, uids: uids) }
    }
}
