import FacteurMIME
import Synchronization

/// The sort keys of recently sorted mailboxes, in memory: a message's keys never change (they
/// come from its immutable header), so the keys of a UID stay right for as long as the mailbox
/// keeps its identity (row id) and UIDVALIDITY. A second SORT of a 100,000-message mailbox then
/// reads no row. Whole mailboxes are evicted, least recently used first, past
/// `MailStoreLimits.cachedSortKeys` messages (keys of expunged messages stay until then: they
/// are never asked for again).
final class SortKeyCache: Sendable {
    struct Key: Hashable {
        var mailboxID: Int64
        var uidValidity: UInt32
    }

    private struct Entry {
        /// Ascending.
        var uids: [UInt32]
        var fields: [MessageSortFields]
        var lastUse: UInt64
    }

    private struct State {
        var entries: [Key: Entry] = [:]
        var clock: UInt64 = 0
        var total = 0
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = MailStoreLimits.cachedSortKeys) { self.capacity = capacity }

    /// The cached keys of `uids` (nil where unknown), in the order of `uids`.
    func lookup(_ key: Key, _ uids: [UInt32]) -> [MessageSortFields?] {
        state.withLock { s in
            guard var entry = s.entries[key] else { return [MessageSortFields?](repeating: nil, count: uids.count) }
            s.clock += 1
            entry.lastUse = s.clock
            s.entries[key] = entry
            var out = [MessageSortFields?](repeating: nil, count: uids.count)
            let ascending = zip(uids, uids.dropFirst()).allSatisfy { $0 < $1 }
            if ascending {
                var p = 0
                for (index, uid) in uids.enumerated() {
                    while p < entry.uids.count && entry.uids[p] < uid { p += 1 }
                    if p < entry.uids.count && entry.uids[p] == uid { out[index] = entry.fields[p] }
                }
            } else {
                for (index, uid) in uids.enumerated() {
                    if let p = Self.position(of: uid, in: entry.uids) { out[index] = entry.fields[p] }
                }
            }
            return out
        }
    }

    /// Adds keys.
    func store(_ key: Key, uids: [UInt32], fields: [MessageSortFields]) {
        guard !uids.isEmpty, uids.count <= capacity else { return }
        let order = uids.indices.sorted { uids[$0] < uids[$1] }
        state.withLock { s in
            s.clock += 1
            var entry = s.entries[key] ?? Entry(uids: [], fields: [], lastUse: s.clock)
            s.total -= s.entries[key]?.uids.count ?? 0
            if entry.uids.isEmpty {
                entry.uids = order.map { uids[$0] }
                entry.fields = order.map { fields[$0] }
            } else {
                var mergedUIDs: [UInt32] = [], mergedFields: [MessageSortFields] = []
                mergedUIDs.reserveCapacity(entry.uids.count + uids.count)
                mergedFields.reserveCapacity(entry.uids.count + uids.count)
                var a = 0, b = 0
                while a < entry.uids.count || b < order.count {
                    let takeNew = a == entry.uids.count || (b < order.count && uids[order[b]] <= entry.uids[a])
                    if takeNew {
                        if a < entry.uids.count && entry.uids[a] == uids[order[b]] { a += 1 }
                        mergedUIDs.append(uids[order[b]]); mergedFields.append(fields[order[b]]); b += 1
                    } else {
                        mergedUIDs.append(entry.uids[a]); mergedFields.append(entry.fields[a]); a += 1
                    }
                }
                entry.uids = mergedUIDs
                entry.fields = mergedFields
            }
            entry.lastUse = s.clock
            s.entries[key] = entry
            s.total += entry.uids.count
            while s.total > capacity, let oldest = s.entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
                s.total -= oldest.value.uids.count
                s.entries[oldest.key] = nil
            }
        }
    }

    private static func position(of uid: UInt32, in uids: [UInt32]) -> Int? {
        var low = 0, high = uids.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if uids[middle] == uid { return middle }
            if uids[middle] < uid { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }
}
