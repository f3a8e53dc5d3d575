import FacteurCore
import FacteurIMAPCore
import FacteurMailStore
import FacteurStore
import FacteurMIME
import Foundation
import NIOPosix
import Synchronization

/// One logged-in user's mail as the IMAP session sees it: `IMAPMailStore` over the shared
/// `MailStore`. Every store call blocks (SQLite, fsync, rename), so it runs on the I/O pool.
///
/// The adapter remembers which mailbox the session selected read-write, so that a
/// resynchronisation (`snapshot`) claims \Recent for new messages there (RFC 3501 §2.3.2: the
/// first session to be told of a message sees it \Recent). Message tables come from the
/// server-wide `IMAPMessageTableCache`, so sessions on the same mailbox share them.
final class IMAPStoreAdapter: IMAPMailStore {
    let owner: String
    let store: MailStore
    let pool: NIOThreadPool
    let hub: EventHub
    let tables: IMAPMessageTableCache
    let quotas: QuotaBook

    /// The selected mailbox (store name) and whether it was selected read-write.
    private let selected = Mutex<(mailbox: String, readWrite: Bool)?>(nil)

    /// `quotas`: nil = no limit for anyone.
    init(owner: String, store: MailStore, pool: NIOThreadPool, hub: EventHub, tables: IMAPMessageTableCache, quotas: QuotaBook? = nil) {
        self.owner = owner; self.store = store; self.pool = pool; self.hub = hub; self.tables = tables
        self.quotas = quotas ?? QuotaBook(settings: QuotaSettings(), store: store)
    }

    /// Runs blocking store work on the I/O pool and turns store errors into IMAP refusals.
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await pool.runIfActive(body)
        } catch let error as MailStoreError {
            if let refusal = IMAPStoreConversions.imapError(error) { throw refusal }
            hub.publish(.log(level: .error, message: "imap store for \(owner): \(error)"))
            if StorageWatch.isDiskFull(error) { throw IMAPStoreError.overQuota }
            throw error
        } catch where StorageWatch.isDiskFull(error) {
            // A full disk: the change is refused with NO [OVERQUOTA], not a server bug.
            hub.publish(.log(level: .error, message: "imap store for \(owner): \(error)"))
            throw IMAPStoreError.overQuota
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

    func subscriptions() async throws -> [IMAPMailboxName] {
        let (owner, store) = (self.owner, self.store)
        return try await run { try store.subscriptions(owner: owner) }.map(IMAPStoreConversions.wireName)
    }

    func create(_ name: IMAPMailboxName) async throws {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(name))
        _ = try await run { try store.createMailbox(owner: owner, name: n) }
    }

    func create(_ name: IMAPMailboxName, specialUse use: String) async throws {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(name))
        guard let special = SpecialUse.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(use) == .orderedSame }) else {
            throw IMAPStoreError.refused("Unsupported special use \(use)")
        }
        _ = try await run { try store.createMailbox(owner: owner, name: n, specialUse: special) }
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
        return try await load(n, readOnly: readOnly)
    }

    func snapshot(_ name: IMAPMailboxName) async throws -> IMAPMailboxSnapshot {
        let n = try IMAPStoreConversions.storeName(name)
        let current = selected.withLock { $0 }
        guard let current, current.mailbox == (try? MailboxName(n).canonical) else {
            return try await load(n, readOnly: true, remember: false)
        }
        return try await load(n, readOnly: !current.readWrite)
    }

    /// Syncs the mailbox (claiming \Recent when read-write) and gets its shared table.
    private func load(_ name: String, readOnly: Bool, remember: Bool = true) async throws -> IMAPMailboxSnapshot {
        let (owner, store, tables) = (self.owner, self.store, self.tables)
        let (snap, table) = try await run { () throws -> (MailboxSnapshot, MessageTable) in
            let snap: MailboxSnapshot
            do {
                snap = try store.select(owner: owner, mailbox: name, readOnly: readOnly)
            } catch where StorageWatch.isDiskFull(error) {
                // A full disk must not stop reading mail: the index as it is, nothing written.
                snap = try store.selectIndexed(owner: owner, mailbox: name)
            }
            return (snap, try tables.table(owner: owner, snapshot: snap, store: store))
        }
        if remember {
            selected.withLock { $0 = (snap.name, !readOnly) }
        }
        return IMAPMailboxSnapshot(uidValidity: snap.uidValidity, uidNext: snap.uidNext, messages: table,
                                   recent: Set(snap.recent), keywords: snap.keywords.map(Flag.init),
                                   highestModSeq: UInt64(clamping: snap.highestModSeq))
    }

    func status(_ name: IMAPMailboxName) async throws -> IMAPMailboxStatus {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(name))
        let (s, deleted) = try await run { (try store.status(owner: owner, mailbox: n), try store.deletedUsage(owner: owner, mailbox: n)) }
        var status = IMAPMailboxStatus(messages: UInt32(clamping: s.messages), recent: UInt32(clamping: s.recent), uidNext: s.uidNext,
                                       uidValidity: s.uidValidity, unseen: UInt32(clamping: s.unseen),
                                       highestModSeq: UInt64(clamping: s.highestModSeq))
        status.deleted = UInt32(clamping: deleted.messages)
        status.deletedStorageKiB = UInt32(clamping: QuotaUsage(bytes: deleted.bytes).kibibytes)
        status.size = UInt64(clamping: s.size)
        return status
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
        try await storeFlags(mailbox, uids: uids, flags: flags, mode: mode, unchangedSince: nil).flags
    }

    func storeFlags(_ mailbox: IMAPMailboxName, uids: [UInt32], flags: Set<Flag>, mode: StoreAction.Mode,
                    unchangedSince: UInt64?) async throws -> IMAPFlagStoreResult {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(mailbox))
        let (system, keywords) = IMAPStoreConversions.storeFlags(flags)
        let op = IMAPStoreConversions.operation(mode)
        let limit = unchangedSince.map { Int64(clamping: $0) }
        let result = try await run { () throws -> FlagStoreResult in
            do {
                return try store.storeFlags(owner: owner, mailbox: n, uids: uids, operation: op, flags: system, keywords: keywords,
                                            unchangedSince: limit)
            } catch where flags == [.seen] && mode == .add && unchangedSince == nil && StorageWatch.isDiskFull(error) {
                // The \Seen a FETCH of a body sets (RFC 3501 §6.4.5) must not stop reading on a
                // full disk: the body is sent, the flags stay as the index has them.
                let wanted = Set(uids)
                let states = try store.messageStates(owner: owner, mailbox: n).filter { wanted.contains($0.uid) }
                return FlagStoreResult(states: states, modSeqs: [], modified: [])
            }
        }
        var out = IMAPFlagStoreResult(flags: [:], modified: result.modified)
        for (index, s) in result.states.enumerated() {
            out.flags[s.uid] = IMAPStoreConversions.flags(s.flags, s.keywords)
            if index < result.modSeqs.count { out.modSeqs[s.uid] = UInt64(clamping: result.modSeqs[index]) }
        }
        return out
    }

    func vanished(_ mailbox: IMAPMailboxName, since: UInt64) async throws -> [UInt32] {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(mailbox))
        return try await run { try store.vanished(owner: owner, mailbox: n, since: Int64(clamping: since)) }
    }

    func append(_ mailbox: IMAPMailboxName, message: [UInt8], flags: Set<Flag>, internalDate: Date) async throws -> IMAPAppendResult {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(mailbox))
        let (system, keywords) = IMAPStoreConversions.storeFlags(flags)
        // Stored with CRLF, so that the file size is RFC822.SIZE (RFC 3501 §2.2).
        let bytes = LineEndings.crlf(message)
        let admit = admission()
        let r = try await run {
            try admit(Int64(bytes.count), 1)
            return try store.append(owner: owner, mailbox: n, source: .bytes(bytes), flags: system, keywords: keywords, internalDate: internalDate)
        }
        return IMAPAppendResult(uidValidity: r.uidValidity, uid: r.uid)
    }

    /// MULTIAPPEND: one `MailStore.appendAll`, all or none.
    func appendAll(_ mailbox: IMAPMailboxName, messages: [IMAPAppendMessage]) async throws -> [IMAPAppendResult] {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(mailbox))
        let items = messages.map { message in
            let (system, keywords) = IMAPStoreConversions.storeFlags(message.flags)
            return AppendItem(source: .bytes(LineEndings.crlf(message.message)), flags: system, keywords: keywords,
                              internalDate: message.internalDate)
        }
        let results = try await run { try store.appendAll(owner: owner, mailbox: n, items: items) }
        return results.map { IMAPAppendResult(uidValidity: $0.uidValidity, uid: $0.uid) }
    }

    func beginAppend(_ mailbox: IMAPMailboxName) async throws -> any IMAPAppendSpool {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(mailbox))
        let spool = try await run { try store.openAppendSpool(owner: owner) }
        return IMAPFileAppendSpool(adapter: self, mailbox: n, spool: spool)
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
        // A MOVE between the user's own folders does not change their usage; a COPY adds it.
        let limited = !move && !quotas.limit(of: owner).isUnlimited
        let admit = admission()
        let r = try await run {
            if limited {
                let added = try store.usage(owner: owner, mailbox: from, uids: uids)
                try admit(added.bytes, added.messages)
            }
            return move ? try store.move(owner: owner, from: from, uids: uids, to: to)
                        : try store.copy(owner: owner, from: from, uids: uids, to: to)
        }
        return IMAPCopyResult(uidValidity: r.uidValidity, sourceUIDs: r.mapping.map(\.0), destinationUIDs: r.mapping.map(\.1))
    }

    func expunge(_ mailbox: IMAPMailboxName, uids: [UInt32]?) async throws -> [UInt32] {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(mailbox))
        return try await run { try store.expunge(owner: owner, mailbox: n, uids: uids) }
    }

    func sortFields(_ mailbox: IMAPMailboxName, uids: [UInt32]) async throws -> [MessageSortFields] {
        let (owner, store, n) = (self.owner, self.store, try IMAPStoreConversions.storeName(mailbox))
        return try await run { try store.sortFields(owner: owner, mailbox: n, uids: uids) }
    }
}
