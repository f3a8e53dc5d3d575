import Foundation

/// The messages of a mailbox in UID order, stored compactly: parallel arrays of UIDs, system
/// flags as bits, INTERNALDATE, size and RFC 7162 mod-sequence (29 octets a message), with
/// keywords (and unknown `\Extension` flags) interned once per table and kept only for the
/// messages that have some.
///
/// The arrays are copy-on-write, so sessions handed the same table by the store (one per
/// mailbox version) share its storage until one of them changes a message; a selected
/// 25,000-message mailbox then costs a session a few pointers instead of ~2 MiB.
/// As a collection it reads as `MessageRecord`s, built on demand.
public struct MessageTable: Sendable, Hashable, RandomAccessCollection {
    /// The five flags a message can have in storage (RFC 3501 §2.3.2, less `\Recent`), one bit
    /// each, in the bit order of the mail store's `MessageFlags` (so a store converts by value).
    public struct SystemFlags: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let seen = Self(rawValue: 1), answered = Self(rawValue: 2), flagged = Self(rawValue: 4),
                           deleted = Self(rawValue: 8), draft = Self(rawValue: 16)

        static let named: [(SystemFlags, Flag)] = [(.seen, .seen), (.answered, .answered), (.flagged, .flagged),
                                                    (.deleted, .deleted), (.draft, .draft)]

        init?(_ flag: Flag) {
            guard let entry = Self.named.first(where: { $0.1 == flag }) else { return nil }
            self = entry.0
        }
    }

    public private(set) var uids: [UInt32] = []
    private var bits: [SystemFlags] = []
    private var dates: [Double] = []
    private var sizes: [Int] = []
    /// RFC 7162 mod-sequences.
    private var modSeqs: [UInt64] = []
    /// Interned non-system flags; a message refers to them by index.
    private var names: [Flag] = []
    /// The interned flags of the messages that have some, by UID.
    private var extra: [UInt32: [UInt16]] = [:]

    public init() {}

    public init<S: Sequence>(_ records: S) where S.Element == MessageRecord {
        for record in records { append(record) }
    }

    // MARK: Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { uids.count }

    public subscript(index: Int) -> MessageRecord {
        MessageRecord(uid: uids[index], flags: flags(at: index), internalDate: Date(timeIntervalSince1970: dates[index]),
                      size: sizes[index], modSeq: modSeqs[index])
    }

    // MARK: Building

    /// Adds a message after the others (its UID must be the highest).
    public mutating func append(_ record: MessageRecord) {
        let (system, others) = Self.split(record.flags)
        append(uid: record.uid, system: system, keywords: others, internalDate: record.internalDate, size: record.size,
               modSeq: record.modSeq)
    }

    /// Adds a message after the others; `keywords` are the flags other than the system five.
    public mutating func append(uid: UInt32, system: SystemFlags, keywords: [Flag], internalDate: Date, size: Int,
                                modSeq: UInt64 = 0) {
        uids.append(uid)
        modSeqs.append(modSeq)
        bits.append(system)
        dates.append(internalDate.timeIntervalSince1970)
        sizes.append(size)
        setKeywords(keywords, uid: uid)
    }

    // MARK: Reading

    /// The position of a UID (binary search).
    public func index(of uid: UInt32) -> Int? {
        var low = 0, high = uids.count - 1
        while low <= high {
            let middle = (low + high) / 2
            if uids[middle] == uid { return middle }
            if uids[middle] < uid { low = middle + 1 } else { high = middle - 1 }
        }
        return nil
    }

    public func flags(at index: Int) -> Set<Flag> {
        var out = Set<Flag>()
        let system = bits[index]
        for (bit, flag) in SystemFlags.named where system.contains(bit) { out.insert(flag) }
        if let ids = extra[uids[index]] { for id in ids { out.insert(names[Int(id)]) } }
        return out
    }

    public func has(_ flag: SystemFlags, at index: Int) -> Bool { bits[index].contains(flag) }

    /// The RFC 7162 mod-sequence of message `index`.
    public func modSeq(at index: Int) -> UInt64 { modSeqs[index] }

    public mutating func setModSeq(_ value: UInt64, at index: Int) {
        if modSeqs[index] != value { modSeqs[index] = value }
    }

    /// UIDs of the messages with `flag`.
    public func uids(with flag: SystemFlags) -> [UInt32] {
        uids.indices.filter { bits[$0].contains(flag) }.map { uids[$0] }
    }

    /// Every non-system flag some message has.
    public var keywordsInUse: Set<Flag> {
        var ids = Set<UInt16>()
        for list in extra.values { ids.formUnion(list) }
        return Set(ids.map { names[Int($0)] })
    }

    /// True when message `index` has the same flags as message `otherIndex` of `other`.
    public func sameFlags(at index: Int, as other: MessageTable, at otherIndex: Int) -> Bool {
        guard bits[index] == other.bits[otherIndex] else { return false }
        let mine = extra[uids[index]], theirs = other.extra[other.uids[otherIndex]]
        if mine == nil && theirs == nil { return true }
        if names == other.names { return mine == theirs }
        return Set((mine ?? []).map { names[Int($0)] }) == Set((theirs ?? []).map { other.names[Int($0)] })
    }

    // MARK: Changing

    public mutating func setFlags(_ flags: Set<Flag>, at index: Int) {
        let (system, others) = Self.split(flags)
        if bits[index] != system { bits[index] = system }
        setKeywords(others, uid: uids[index])
    }

    /// Removes the messages at `indices` (ascending) in one pass.
    public mutating func remove(atSortedIndices indices: [Int]) {
        guard !indices.isEmpty else { return }
        var drop = indices.makeIterator()
        var next = drop.next()
        var kept = 0
        for index in uids.indices {
            if index == next {
                extra[uids[index]] = nil
                next = drop.next()
                continue
            }
            if kept != index {
                uids[kept] = uids[index]; bits[kept] = bits[index]; dates[kept] = dates[index]; sizes[kept] = sizes[index]
                modSeqs[kept] = modSeqs[index]
            }
            kept += 1
        }
        uids.removeLast(uids.count - kept); bits.removeLast(bits.count - kept)
        dates.removeLast(dates.count - kept); sizes.removeLast(sizes.count - kept)
        modSeqs.removeLast(modSeqs.count - kept)
    }

    /// Appends the messages of `other` from `start` on.
    public mutating func append(contentsOf other: MessageTable, from start: Int) {
        for index in start..<other.endIndex {
            append(uid: other.uids[index], system: other.bits[index], keywords: other.keywords(at: index),
                   internalDate: Date(timeIntervalSince1970: other.dates[index]), size: other.sizes[index],
                   modSeq: other.modSeqs[index])
        }
    }

    public func systemFlags(at index: Int) -> SystemFlags { bits[index] }

    /// INTERNALDATE and size of message `index`.
    public func details(at index: Int) -> (internalDate: Date, size: Int) {
        (Date(timeIntervalSince1970: dates[index]), sizes[index])
    }

    /// The non-system flags of message `index`.
    public func keywords(at index: Int) -> [Flag] {
        (extra[uids[index]] ?? []).map { names[Int($0)] }
    }

    private mutating func setKeywords(_ keywords: [Flag], uid: UInt32) {
        guard !keywords.isEmpty else {
            if extra[uid] != nil { extra[uid] = nil }
            return
        }
        var ids: [UInt16] = []
        for keyword in keywords {
            if let id = names.firstIndex(of: keyword) {
                ids.append(UInt16(id))
            } else if names.count < Int(UInt16.max) {
                names.append(keyword)
                ids.append(UInt16(names.count - 1))
            }
        }
        ids.sort()
        if extra[uid] != ids { extra[uid] = ids }
    }

    private static func split(_ flags: Set<Flag>) -> (SystemFlags, [Flag]) {
        var system: SystemFlags = []
        var others: [Flag] = []
        for flag in flags {
            if let bit = SystemFlags(flag) { system.insert(bit) } else { others.append(flag) }
        }
        return (system, others)
    }

    // MARK: Equality (by content: two tables may intern keywords in different orders)

    public static func == (a: MessageTable, b: MessageTable) -> Bool {
        guard a.uids == b.uids, a.bits == b.bits, a.dates == b.dates, a.sizes == b.sizes, a.modSeqs == b.modSeqs else { return false }
        if a.names == b.names && a.extra == b.extra { return true }
        return a.indices.allSatisfy { a.sameFlags(at: $0, as: b, at: $0) }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(uids)
        hasher.combine(bits.map(\.rawValue))
    }
}
