import FacteurIMAPCore
import FacteurMailStore
import Foundation
import Synchronization

/// One `MessageTable` per mailbox state, shared by every session of the server: a session
/// whose resynchronisation finds the mailbox as the cached table describes it gets that very
/// table (copy-on-write storage, so a thousand sessions on one 25,000-message INBOX hold one
/// copy). The table also remembers INTERNALDATE and size, which never change for a UID, so a
/// new table only reads the details of new messages.
final class IMAPMessageTableCache: Sendable {
    private struct Entry {
        var uidValidity: UInt32
        var table: MessageTable
        var lastUse: UInt64
    }
    private struct State {
        var entries: [String: Entry] = [:]
        var clock: UInt64 = 0
    }
    private let state = Mutex(State())
    /// Messages kept in all cached tables together (about 21 octets each); the least recently
    /// used tables go first. Sessions keep the tables they were given.
    let capacity: Int

    init(capacity: Int = IMAPServerLimits.cachedMessageTableEntries) { self.capacity = capacity }

    /// Above this many unknown messages, details come from one scan of the mailbox.
    static let wholeScanThreshold = 200

    /// The table for `snap`, reusing the cached one when it matches (blocking: may read the
    /// details of new messages from the store).
    func table(owner: String, snapshot snap: MailboxSnapshot, store: MailStore) throws -> MessageTable {
        let key = owner + "\u{0}" + snap.name
        let previous: MessageTable? = state.withLock { s in
            guard var entry = s.entries[key], entry.uidValidity == snap.uidValidity else { return nil }
            s.clock += 1
            entry.lastUse = s.clock
            s.entries[key] = entry
            return entry.table
        }
        if let previous, Self.matches(previous, snap.messages, modSeqs: snap.modSeqs) { return previous }
        let built = try Self.patched(previous, snap) ?? build(owner: owner, snap: snap, previous: previous, store: store)
        state.withLock { s in
            s.clock += 1
            s.entries[key] = nil
            var total = s.entries.values.reduce(built.count) { $0 + $1.table.count }
            while total > capacity, let oldest = s.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                total -= oldest.value.table.count
                s.entries[oldest.key] = nil
            }
            if built.count <= capacity {
                s.entries[key] = Entry(uidValidity: snap.uidValidity, table: built, lastUse: s.clock)
            }
        }
        return built
    }

    /// The previous table with the flags and mod-sequences of `snap`, when `snap` holds no
    /// message it does not know (flags changed, messages expunged: what a resynchronisation
    /// after a few changes meets): patched in place of a rebuild.
    static func patched(_ previous: MessageTable?, _ snap: MailboxSnapshot) -> MessageTable? {
        guard var table = previous, snap.modSeqs.count == snap.messages.count, snap.messages.count <= table.count else { return nil }
        var removed: [Int] = []
        var p = 0
        for m in snap.messages {
            while p < table.count && table.uids[p] < m.uid { removed.append(p); p += 1 }
            guard p < table.count && table.uids[p] == m.uid else { return nil }
            p += 1
        }
        removed += Array(p..<table.count)
        if !removed.isEmpty { table.remove(atSortedIndices: removed) }
        for (index, m) in snap.messages.enumerated() {
            let modSeq = UInt64(clamping: snap.modSeqs[index])
            guard table.modSeq(at: index) != modSeq || table.systemFlags(at: index) != systemFlags(m.flags)
                || !sameKeywords(table.keywords(at: index), m.keywords) else { continue }
            table.setFlags(IMAPStoreConversions.flags(m.flags, m.keywords), at: index)
            table.setModSeq(modSeq, at: index)
        }
        return table
    }

    /// A new table for `snap`, with the details the previous one knew.
    private func build(owner: String, snap: MailboxSnapshot, previous: MessageTable?, store: MailStore) throws -> MessageTable {
        // Details of the messages the previous table does not know.
        var known: [(date: Date, size: Int)?] = []
        known.reserveCapacity(snap.messages.count)
        var p = 0
        var missing: [UInt32] = []
        for m in snap.messages {
            if let previous {
                while p < previous.uids.count && previous.uids[p] < m.uid { p += 1 }
                if p < previous.uids.count && previous.uids[p] == m.uid {
                    let record = previous.details(at: p)
                    known.append((record.internalDate, record.size))
                    continue
                }
            }
            known.append(nil)
            missing.append(m.uid)
        }
        // Both sources are ordered by UID: one walk fills in what the previous table lacked. A first
        // load (or a large change) reads the whole mailbox in one lean scan, much cheaper than
        // looking up many UIDs (100,000 messages: SELECT ~400 → ~80 ms).
        let details: [MessageDetails]
        if missing.count > Self.wholeScanThreshold {
            details = try store.messageDetails(owner: owner, mailbox: snap.name)
        } else if !missing.isEmpty {
            details = try store.messageInfos(owner: owner, mailbox: snap.name, uids: missing)
                .map { MessageDetails(uid: $0.uid, internalDate: $0.internalDate, size: $0.size) }
        } else {
            details = []
        }
        var q = 0
        for (index, m) in snap.messages.enumerated() where known[index] == nil {
            while q < details.count && details[q].uid < m.uid { q += 1 }
            if q < details.count && details[q].uid == m.uid { known[index] = (details[q].internalDate, Int(clamping: details[q].size)) }
        }
        var table = MessageTable()
        for (index, (m, d)) in zip(snap.messages, known).enumerated() {
            let modSeq = index < snap.modSeqs.count ? UInt64(clamping: snap.modSeqs[index]) : 0
            table.append(uid: m.uid, system: Self.systemFlags(m.flags), keywords: m.keywords.map(Flag.init),
                         internalDate: d?.date ?? Date(timeIntervalSince1970: 0), size: d?.size ?? 0, modSeq: modSeq)
        }
        return table
    }

    /// Same UIDs, system flags, keywords and mod-sequences.
    static func matches(_ table: MessageTable, _ messages: [MessageState], modSeqs: [Int64]) -> Bool {
        guard table.uids.count == messages.count, modSeqs.count == messages.count else { return false }
        for (index, m) in messages.enumerated() {
            guard table.uids[index] == m.uid, table.systemFlags(at: index) == systemFlags(m.flags),
                  table.modSeq(at: index) == UInt64(clamping: modSeqs[index]) else { return false }
            guard sameKeywords(table.keywords(at: index), m.keywords) else { return false }
        }
        return true
    }

    static func sameKeywords(_ keywords: [Flag], _ stored: [String]) -> Bool {
        if keywords.isEmpty && stored.isEmpty { return true }
        return Set(keywords.map(\.raw)) == Set(stored.map { Flag($0).raw })
    }

    /// Same bits (`MessageTable.SystemFlags` follows `MessageFlags`' order).
    static func systemFlags(_ flags: MessageFlags) -> MessageTable.SystemFlags {
        MessageTable.SystemFlags(rawValue: flags.rawValue & MessageFlags.all.rawValue)
    }
}
