/// The session's view of the selected mailbox: message sequence numbers are positions in
/// `records` and only change when the session tells the client (EXPUNGE / EXISTS).
struct SelectedMailbox: Sendable {
    let name: IMAPMailboxName
    let readOnly: Bool
    var uidValidity: UInt32
    var uidNext: UInt32
    var records: [MessageRecord]
    var recent: Set<UInt32>

    init(name: IMAPMailboxName, readOnly: Bool, snapshot: IMAPMailboxSnapshot) {
        self.name = name; self.readOnly = readOnly
        uidValidity = snapshot.uidValidity; uidNext = snapshot.uidNext
        records = snapshot.messages; recent = snapshot.recent
    }

    var count: UInt32 { UInt32(records.count) }
    var uids: [UInt32] { records.map(\.uid) }
    var maxUID: UInt32 { records.last?.uid ?? 0 }

    /// 1-based sequence number of a UID.
    func sequenceNumber(of uid: UInt32) -> UInt32? {
        var low = 0, high = records.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if records[middle].uid == uid { return UInt32(middle + 1) }
            if records[middle].uid < uid { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }

    func record(uid: UInt32) -> MessageRecord? {
        sequenceNumber(of: uid).map { records[Int($0) - 1] }
    }

    /// Flags as the client sees them (\Recent added for recent messages).
    func visibleFlags(_ record: MessageRecord) -> [Flag] {
        var flags = record.flags
        flags.remove(.recent)
        var result = flags.sorted { $0.raw < $1.raw }
        if recent.contains(record.uid) { result.append(.recent) }
        return result
    }

    /// The UIDs a command addresses. Sequence numbers past the end are an error (nil);
    /// UIDs that do not exist are ignored (RFC 3501 §6.4.8).
    func targets(_ set: SequenceSet, uid: Bool) -> [UInt32]? {
        if uid { return set.matching(uids) }
        guard !records.isEmpty, set.isWithin(max: count) else { return nil }
        return set.numbers(upTo: count).map { records[Int($0) - 1].uid }
    }

    /// Removes `expunged` UIDs, returning the EXPUNGE responses in the order that keeps the
    /// client's numbering right (each number is valid at the time it is sent).
    mutating func remove(_ expunged: Set<UInt32>) -> [UntaggedResponse] {
        var responses: [UntaggedResponse] = []
        var index = 0
        while index < records.count {
            if expunged.contains(records[index].uid) {
                responses.append(.expunge(UInt32(index + 1)))
                recent.remove(records[index].uid)
                records.remove(at: index)
            } else {
                index += 1
            }
        }
        return responses
    }

    mutating func update(flags: [UInt32: Set<Flag>]) {
        for (uid, newFlags) in flags {
            if let sequence = sequenceNumber(of: uid) { records[Int(sequence) - 1].flags = newFlags }
        }
    }

    /// Brings the view up to date with storage and returns what the client must be told:
    /// EXPUNGEs, flag changes made elsewhere, then EXISTS / RECENT for new messages.
    mutating func synchronize(with snapshot: IMAPMailboxSnapshot) -> [UntaggedResponse] {
        let present = Set(snapshot.messages.map(\.uid))
        var responses = remove(Set(uids.filter { !present.contains($0) }))
        let fresh = Dictionary(snapshot.messages.map { ($0.uid, $0) }, uniquingKeysWith: { first, _ in first })
        for index in records.indices {
            guard let current = fresh[records[index].uid], current.flags != records[index].flags else { continue }
            records[index].flags = current.flags
            responses.append(.fetch(UInt32(index + 1), [.flags(visibleFlags(records[index])), .uid(records[index].uid)]))
        }
        let highest = maxUID
        let added = snapshot.messages.filter { $0.uid > highest }
        if !added.isEmpty {
            records.append(contentsOf: added)
            recent.formUnion(snapshot.recent.intersection(Set(added.map(\.uid))))
            responses.append(.exists(count))
            responses.append(.recent(UInt32(recent.count)))
        }
        uidNext = snapshot.uidNext
        return responses
    }
}
