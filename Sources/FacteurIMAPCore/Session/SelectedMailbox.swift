/// The session's view of the selected mailbox: message sequence numbers are positions in
/// `records` and only change when the session tells the client (EXPUNGE / EXISTS).
/// `records` is the store's `MessageTable`, shared with other sessions until this one changes.
struct SelectedMailbox: Sendable {
    let name: IMAPMailboxName
    let readOnly: Bool
    var uidValidity: UInt32
    var uidNext: UInt32
    var records: MessageTable
    var recent: Set<UInt32>
    /// The keywords the client was told of in FLAGS / PERMANENTFLAGS (RFC 3501 §7.2.6). Only
    /// grows while the mailbox is selected: a keyword seen in a FETCH must be among them.
    private(set) var keywords: Set<Flag>
    /// RFC 7162 HIGHESTMODSEQ as of the last synchronisation.
    var highestModSeq: UInt64
    /// CONDSTORE is enabled: FETCH responses that report flag changes carry MODSEQ.
    var reportsModSeq = false
    /// QRESYNC is enabled: expunges are reported as `VANISHED uids`, not `n EXPUNGE`.
    var reportsVanished = false
    /// The result saved by SEARCH RETURN (SAVE) for `$` (RFC 5182), as UIDs: empty at SELECT,
    /// and a message expunged from the view leaves it with the view.
    var savedSearch: [UInt32] = []

    init(name: IMAPMailboxName, readOnly: Bool, snapshot: IMAPMailboxSnapshot) {
        self.name = name; self.readOnly = readOnly
        uidValidity = snapshot.uidValidity; uidNext = snapshot.uidNext; highestModSeq = snapshot.highestModSeq
        records = snapshot.messages; recent = snapshot.recent
        keywords = snapshot.messages.keywordsInUse.union(snapshot.keywords).filter { !$0.isSystem }
    }

    /// `* FLAGS` and `* OK [PERMANENTFLAGS]` for the system flags and the known keywords (SELECT,
    /// and again whenever a keyword is new to the mailbox, as Dovecot does).
    func flagsResponses() -> [UntaggedResponse] {
        let system: [Flag] = [.answered, .flagged, .deleted, .seen, .draft]
        let flags = system + keywords.sorted { $0.raw < $1.raw }
        return [.flags(flags),
                .condition(.ok, .permanentFlags(readOnly ? [] : flags + [Flag("\\*")]),
                           readOnly ? "No permanent flags permitted" : "Flags permitted")]
    }

    /// The FLAGS / PERMANENTFLAGS announcement when `candidates` hold a keyword the client
    /// has not been told of; nothing otherwise.
    mutating func announceKeywords<S: Sequence>(in candidates: S) -> [UntaggedResponse] where S.Element == Flag {
        var added = false
        for flag in candidates where !flag.isSystem && !keywords.contains(flag) {
            keywords.insert(flag)
            added = true
        }
        return added ? flagsResponses() : []
    }

    var count: UInt32 { UInt32(records.count) }
    var uids: [UInt32] { records.uids }
    var maxUID: UInt32 { records.uids.last ?? 0 }

    /// 1-based sequence number of a UID.
    func sequenceNumber(of uid: UInt32) -> UInt32? {
        records.index(of: uid).map { UInt32($0 + 1) }
    }

    func record(uid: UInt32) -> MessageRecord? {
        records.index(of: uid).map { records[$0] }
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
        if set.isSavedResult { return SequenceSet(numbers: savedSearch).matching(uids) }
        if uid { return set.matching(uids) }
        guard !records.isEmpty, set.isWithin(max: count) else { return nil }
        return set.numbers(upTo: count).map { records.uids[Int($0) - 1] }
    }

    /// Removes `expunged` UIDs, returning the EXPUNGE responses in the order that keeps the
    /// client's numbering right (each number is valid at the time it is sent), or one
    /// `VANISHED` for them all once QRESYNC is enabled (RFC 7162 §3.2.10).
    mutating func remove(_ expunged: Set<UInt32>) -> [UntaggedResponse] {
        guard !expunged.isEmpty else { return [] }
        var responses: [UntaggedResponse] = []
        var indices: [Int] = []
        var removed: [UInt32] = []
        for (index, uid) in records.uids.enumerated() where expunged.contains(uid) {
            responses.append(.expunge(UInt32(index - indices.count + 1)))
            recent.remove(uid)
            indices.append(index)
            removed.append(uid)
        }
        records.remove(atSortedIndices: indices)
        if reportsVanished { return removed.isEmpty ? [] : [.vanished(earlier: false, SequenceSet(numbers: removed))] }
        return responses
    }

    mutating func update(flags: [UInt32: Set<Flag>], modSeqs: [UInt32: UInt64] = [:]) {
        for (uid, newFlags) in flags {
            guard let index = records.index(of: uid) else { continue }
            records.setFlags(newFlags, at: index)
            if let modSeq = modSeqs[uid] {
                records.setModSeq(modSeq, at: index)
                highestModSeq = max(highestModSeq, modSeq)
            }
        }
    }

    /// The items of a FETCH that reports message `index`'s flags (after a change): FLAGS, UID
    /// when `uid`, and MODSEQ once CONDSTORE is enabled (RFC 7162 §3.1.4).
    func flagItems(at index: Int, uid: Bool) -> [FetchResponseItem] {
        var items: [FetchResponseItem] = [.flags(visibleFlags(records[index]))]
        if uid { items.append(.uid(records.uids[index])) }
        if reportsModSeq { items.append(.modSeq(records.modSeq(at: index))) }
        return items
    }

    /// Brings the view up to date with storage and returns what the client must be told:
    /// EXPUNGEs, flag changes made elsewhere, then EXISTS / RECENT for new messages.
    /// Both tables are in UID order, so one merge walk compares them.
    mutating func synchronize(with snapshot: IMAPMailboxSnapshot) -> [UntaggedResponse] {
        let fresh = snapshot.messages
        var gone = Set<UInt32>()
        var other = 0
        for uid in records.uids {
            while other < fresh.uids.count && fresh.uids[other] < uid { other += 1 }
            if other == fresh.uids.count || fresh.uids[other] != uid { gone.insert(uid) }
        }
        var responses = remove(gone)
        var fetches: [UntaggedResponse] = []
        var seenKeywords: [Flag] = []
        other = 0
        for index in records.indices {
            let uid = records.uids[index]
            while fresh.uids[other] < uid { other += 1 }
            let sameFlags = records.sameFlags(at: index, as: fresh, at: other)
            let modSeq = fresh.modSeq(at: other)
            guard !sameFlags || records.modSeq(at: index) != modSeq else { continue }
            records.setModSeq(modSeq, at: index)
            // Only the mod-sequence moved (flags set and reset elsewhere): news for CONDSTORE only.
            if sameFlags && !reportsModSeq { continue }
            records.setFlags(fresh.flags(at: other), at: index)
            seenKeywords += records.keywords(at: index)
            fetches.append(.fetch(UInt32(index + 1), flagItems(at: index, uid: true)))
        }
        let highest = maxUID
        let firstAdded = fresh.uids.firstIndex { $0 > highest } ?? fresh.uids.count
        for index in firstAdded..<fresh.uids.count { seenKeywords += fresh.keywords(at: index) }
        seenKeywords += snapshot.keywords
        // New keywords are announced before any FETCH (or later FETCH of a new message) uses them.
        responses += announceKeywords(in: seenKeywords) + fetches
        if firstAdded < fresh.uids.count {
            let added = fresh.uids[firstAdded...]
            if firstAdded == records.count {
                // Every message the session knows is in the snapshot, unchanged: share its table.
                records = fresh
            } else {
                records.append(contentsOf: fresh, from: firstAdded)
            }
            recent.formUnion(snapshot.recent.intersection(added))
            responses.append(.exists(count))
            responses.append(.recent(UInt32(recent.count)))
        } else if records.count == fresh.count {
            // The same messages with the same flags: share the store's table again (after a
            // STORE made this session copy it).
            records = fresh
        }
        uidNext = snapshot.uidNext
        highestModSeq = max(highestModSeq, snapshot.highestModSeq)
        return responses
    }
}
