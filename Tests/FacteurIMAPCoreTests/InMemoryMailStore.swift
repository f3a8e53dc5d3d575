import Foundation
@testable import FacteurIMAPCore
import FacteurMIME

/// A mail store in memory for session tests.
actor InMemoryMailStore: IMAPMailStore {
    struct Mailbox {
        var uidValidity: UInt32
        var uidNext: UInt32 = 1
        var messages: [(record: MessageRecord, bytes: [UInt8])] = []
        var recent: Set<UInt32> = []
        var subscribed = true
        var attributes: [String] = []
        /// Keywords the mailbox has defined (Maildir: its dovecot-keywords table).
        var keywords: [Flag] = []
        /// RFC 7162: every change takes the next value; expunged UIDs keep theirs.
        var highestModSeq: UInt64 = 1
        var expunged: [(uid: UInt32, modSeq: UInt64)] = []

        mutating func nextModSeq() -> UInt64 {
            highestModSeq += 1
            return highestModSeq
        }

        mutating func remove(_ uids: [UInt32]) {
            guard !uids.isEmpty else { return }
            let modSeq = nextModSeq()
            messages.removeAll { uids.contains($0.record.uid) }
            expunged += uids.map { ($0, modSeq) }
        }
    }

    var boxes: [String: Mailbox] = ["INBOX": Mailbox(uidValidity: 1)]
    private var nextValidity: UInt32 = 2

    func add(_ mailbox: String, attributes: [String] = []) {
        boxes[mailbox] = Mailbox(uidValidity: nextValidity, attributes: attributes)
        nextValidity += 1
    }

    @discardableResult
    func deliver(_ mailbox: String, _ text: String, flags: Set<Flag> = [], date: Date = Date(timeIntervalSince1970: 1_000_000_000),
                 recent: Bool = false) -> UInt32 {
        let bytes = LineEndings.crlf(Array(text.utf8))
        var box = boxes[mailbox] ?? Mailbox(uidValidity: 99)
        let uid = box.uidNext
        box.uidNext += 1
        let modSeq = box.nextModSeq()
        box.messages.append((MessageRecord(uid: uid, flags: flags, internalDate: date, size: bytes.count, modSeq: modSeq), bytes))
        if recent { box.recent.insert(uid) }
        boxes[mailbox] = box
        return uid
    }

    func define(_ keyword: Flag, in mailbox: String) { boxes[mailbox]?.keywords.append(keyword) }

    func flags(_ mailbox: String) -> [UInt32: Set<Flag>] {
        Dictionary(uniqueKeysWithValues: (boxes[mailbox]?.messages ?? []).map { ($0.record.uid, $0.record.flags) })
    }

    private func box(_ name: IMAPMailboxName) throws -> Mailbox {
        guard let box = boxes[name.wire] else { throw IMAPStoreError.nonexistent }
        return box
    }

    func mailboxes() async throws -> [MailboxInfo] {
        boxes.keys.sorted().map { name in
            MailboxInfo(name: IMAPMailboxName(wire: name), attributes: boxes[name]?.attributes ?? [], subscribed: boxes[name]?.subscribed ?? false)
        }
    }

    func create(_ name: IMAPMailboxName) async throws {
        guard boxes[name.wire] == nil else { throw IMAPStoreError.alreadyExists }
        add(name.wire)
    }

    func delete(_ name: IMAPMailboxName) async throws {
        _ = try box(name)
        boxes[name.wire] = nil
    }

    func rename(_ name: IMAPMailboxName, to newName: IMAPMailboxName) async throws {
        let existing = try box(name)
        guard boxes[newName.wire] == nil else { throw IMAPStoreError.alreadyExists }
        boxes[name.wire] = nil
        boxes[newName.wire] = existing
    }

    func setSubscribed(_ name: IMAPMailboxName, _ subscribed: Bool) async throws {
        var existing = try box(name)
        existing.subscribed = subscribed
        boxes[name.wire] = existing
    }

    func select(_ name: IMAPMailboxName, readOnly: Bool) async throws -> IMAPMailboxSnapshot {
        let result = try await snapshot(name)
        if !readOnly { boxes[name.wire]?.recent = [] }  // this session claimed them
        return result
    }

    func status(_ name: IMAPMailboxName) async throws -> IMAPMailboxStatus {
        let existing = try box(name)
        var status = IMAPMailboxStatus(messages: UInt32(existing.messages.count), recent: UInt32(existing.recent.count),
                                       uidNext: existing.uidNext, uidValidity: existing.uidValidity,
                                       unseen: UInt32(existing.messages.filter { !$0.record.flags.contains(.seen) }.count),
                                       highestModSeq: existing.highestModSeq)
        let deleted = existing.messages.filter { $0.record.flags.contains(.deleted) }
        status.deleted = UInt32(deleted.count)
        status.deletedStorageKiB = UInt32((deleted.reduce(0) { $0 + $1.record.size } + 1023) / 1024)
        status.size = UInt64(existing.messages.reduce(0) { $0 + $1.record.size })
        return status
    }

    /// QUOTA: what `quotaResources` answers (empty: no limit).
    var quota: [QuotaResource] = []
    func setQuota(_ resources: [QuotaResource]) { quota = resources }
    func quotaResources() async throws -> [QuotaResource] { quota }

    func snapshot(_ name: IMAPMailboxName) async throws -> IMAPMailboxSnapshot {
        let existing = try box(name)
        return IMAPMailboxSnapshot(uidValidity: existing.uidValidity, uidNext: existing.uidNext,
                                   messages: existing.messages.map(\.record), recent: existing.recent, keywords: existing.keywords,
                                   highestModSeq: existing.highestModSeq)
    }

    func messageBytes(_ mailbox: IMAPMailboxName, uid: UInt32) async throws -> [UInt8] {
        guard let message = try box(mailbox).messages.first(where: { $0.record.uid == uid }) else { throw IMAPStoreError.nonexistent }
        return message.bytes
    }

    func storeFlags(_ mailbox: IMAPMailboxName, uids: [UInt32], flags: Set<Flag>, mode: StoreAction.Mode) async throws -> [UInt32: Set<Flag>] {
        try await storeFlags(mailbox, uids: uids, flags: flags, mode: mode, unchangedSince: nil).flags
    }

    /// Like the Maildir store: one new mod-sequence for the messages whose flags changed.
    func storeFlags(_ mailbox: IMAPMailboxName, uids: [UInt32], flags: Set<Flag>, mode: StoreAction.Mode,
                    unchangedSince: UInt64?) async throws -> IMAPFlagStoreResult {
        var existing = try box(mailbox)
        var result = IMAPFlagStoreResult(flags: [:])
        var modSeq: UInt64?
        for index in existing.messages.indices where uids.contains(existing.messages[index].record.uid) {
            var record = existing.messages[index].record
            if let unchangedSince, record.modSeq > unchangedSince { result.modified.append(record.uid); continue }
            let before = record.flags
            switch mode {
            case .replace: record.flags = flags
            case .add: record.flags.formUnion(flags)
            case .remove: record.flags.subtract(flags)
            }
            if record.flags != before {
                if modSeq == nil { modSeq = existing.nextModSeq() }
                record.modSeq = modSeq ?? record.modSeq
            }
            existing.messages[index].record = record
            result.flags[record.uid] = record.flags
            result.modSeqs[record.uid] = record.modSeq
        }
        boxes[mailbox.wire] = existing
        return result
    }

    func vanished(_ mailbox: IMAPMailboxName, since: UInt64) async throws -> [UInt32] {
        try box(mailbox).expunged.filter { $0.modSeq > since }.map(\.uid).sorted()
    }
    /// Refuses every APPEND with this error (a full quota, a full disk).
    var appendFailure: IMAPStoreError?
    func failAppends(with error: IMAPStoreError) { appendFailure = error }

    func append(_ mailbox: IMAPMailboxName, message: [UInt8], flags: Set<Flag>, internalDate: Date) async throws -> IMAPAppendResult {
        if let appendFailure { throw appendFailure }
        var existing = try box(mailbox)
        let uid = existing.uidNext
        existing.uidNext += 1
        let modSeq = existing.nextModSeq()
        existing.messages.append((MessageRecord(uid: uid, flags: flags, internalDate: internalDate, size: message.count, modSeq: modSeq), message))
        boxes[mailbox.wire] = existing
        return IMAPAppendResult(uidValidity: existing.uidValidity, uid: uid)
    }

    /// Spools opened by `beginAppend` and not yet finished or aborted (what a file store would
    /// leave in tmp/), and what happened to each spool.
    var openSpools = 0
    var spoolLog: [String] = []
    /// When set, `beginAppend` / spool writes throw it.
    var spoolFailure: IMAPStoreError?
    var writeFailure: IMAPStoreError?

    func beginAppend(_ mailbox: IMAPMailboxName) async throws -> any IMAPAppendSpool {
        if let spoolFailure { throw spoolFailure }
        openSpools += 1
        spoolLog.append("begin \(mailbox.wire)")
        return InMemoryAppendSpool(store: self, mailbox: mailbox)
    }

    func spoolEnded(_ event: String) {
        openSpools -= 1
        spoolLog.append(event)
    }

    func spoolWrote(_ count: Int) throws {
        if let writeFailure { throw writeFailure }
        spoolLog.append("write \(count)")
    }

    func copy(_ mailbox: IMAPMailboxName, uids: [UInt32], to destination: IMAPMailboxName) async throws -> IMAPCopyResult {
        let source = try box(mailbox)
        var target = try box(destination)
        var destinationUIDs: [UInt32] = []
        let modSeq = target.nextModSeq()
        for message in source.messages where uids.contains(message.record.uid) {
            var record = message.record
            record.modSeq = modSeq
            record.uid = target.uidNext
            target.uidNext += 1
            target.messages.append((record, message.bytes))
            destinationUIDs.append(record.uid)
        }
        boxes[destination.wire] = target
        return IMAPCopyResult(uidValidity: target.uidValidity, sourceUIDs: uids, destinationUIDs: destinationUIDs)
    }

    func move(_ mailbox: IMAPMailboxName, uids: [UInt32], to destination: IMAPMailboxName) async throws -> IMAPCopyResult {
        let result = try await copy(mailbox, uids: uids, to: destination)
        var existing = try box(mailbox)
        existing.remove(result.sourceUIDs)
        boxes[mailbox.wire] = existing
        return result
    }

    /// Like the Maildir store: what has \Deleted here now (among `uids` when given) goes.
    func expunge(_ mailbox: IMAPMailboxName, uids: [UInt32]?) async throws -> [UInt32] {
        var existing = try box(mailbox)
        let doomed = existing.messages.map(\.record).filter { $0.flags.contains(.deleted) && (uids?.contains($0.uid) ?? true) }.map(\.uid)
        existing.remove(doomed)
        boxes[mailbox.wire] = existing
        return doomed
    }
}

/// Accepts alice / secret.
struct FixedAuthenticator: IMAPAuthenticator {
    let store: InMemoryMailStore
    func authenticate(username: String, password: String) async -> (any IMAPMailStore)? {
        username == "alice" && password == "secret" ? store : nil
    }
}

/// The in-memory spool: chunks gathered in an actor, handed to `append` by `finish`.
actor InMemoryAppendSpool: IMAPAppendSpool {
    let store: InMemoryMailStore
    let mailbox: IMAPMailboxName
    var bytes: [UInt8] = []
    var ended = false

    init(store: InMemoryMailStore, mailbox: IMAPMailboxName) { self.store = store; self.mailbox = mailbox }

    func write(_ chunk: [UInt8]) async throws {
        precondition(!ended, "write after finish/abort")
        try await store.spoolWrote(chunk.count)
        bytes += chunk
    }

    func finish(flags: Set<Flag>, internalDate: Date) async throws -> IMAPAppendResult {
        precondition(!ended, "finish after finish/abort")
        ended = true
        do {
            let result = try await store.append(mailbox, message: LineEndings.crlf(bytes), flags: flags, internalDate: internalDate)
            await store.spoolEnded("finish \(result.uid)")
            return result
        } catch {
            await store.spoolEnded("finish failed")
            throw error
        }
    }

    func abort() async {
        guard !ended else { return }
        ended = true
        await store.spoolEnded("abort")
    }
}
