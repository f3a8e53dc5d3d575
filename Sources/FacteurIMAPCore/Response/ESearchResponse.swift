/// `esearch-response = "ESEARCH" [search-correlator] [SP "UID"] *(SP search-return-data)`
/// (RFC 4731 §3.1, RFC 5267 §3.2 for ESORT). A nil item is left out.
public struct ESearchResponse: Hashable, Sendable {
    /// `search-correlator = SP "(" "TAG" SP tag-string ")"`
    public var tag: String?
    public var uid: Bool
    public var min: UInt32?
    public var max: UInt32?
    /// In the order found: for ESORT, the sort order (RFC 5267 §3.2: ALL is then a list, not ranges).
    public var all: [UInt32]?
    public var count: Int?
    /// RFC 7162 §3.1.5 `MODSEQ mod-sequence-value`: the highest mod-sequence of the matches,
    /// set by a CONDSTORE-aware session; nil leaves it out.
    public var modSeq: UInt64?
    /// ESORT's ALL keeps the sort order (`1,5,3`) instead of ascending ranges.
    public var ordered: Bool

    public init(tag: String?, uid: Bool, min: UInt32? = nil, max: UInt32? = nil, all: [UInt32]? = nil, count: Int? = nil,
                modSeq: UInt64? = nil, ordered: Bool = false) {
        self.tag = tag; self.uid = uid; self.min = min; self.max = max; self.all = all; self.count = count
        self.modSeq = modSeq; self.ordered = ordered
    }

    /// The answer to `options` for `matches` (ascending, or in sort order when `ordered`).
    /// RFC 4731 §3.1: MIN, MAX and ALL are left out when nothing matched; COUNT is 0.
    public init(tag: String?, uid: Bool, options: SearchReturnOptions, matches: [UInt32], ordered: Bool = false) {
        let lowest = ordered ? matches.min() : matches.first, highest = ordered ? matches.max() : matches.last
        self.init(tag: tag, uid: uid, min: options.min ? lowest : nil, max: options.max ? highest : nil,
                  all: options.all && !matches.isEmpty ? matches : nil, count: options.count ? matches.count : nil,
                  ordered: ordered)
    }
}

extension IMAPWriter {
    mutating func esearch(_ response: ESearchResponse) {
        raw("ESEARCH")
        if let tag = response.tag { raw(" (TAG "); string(tag); raw(")") }
        if response.uid { raw(" UID") }
        if let min = response.min { raw(" MIN \(min)") }
        if let max = response.max { raw(" MAX \(max)") }
        if let all = response.all {
            raw(" ALL ")
            raw(response.ordered ? Self.orderedSet(all) : SequenceSet(numbers: all).description)
        }
        if let count = response.count { raw(" COUNT \(count)") }
        if let modSeq = response.modSeq { raw(" MODSEQ \(modSeq)") }
    }

    /// A sequence set that keeps the order of `numbers`: runs of consecutive ascending numbers
    /// become ranges (`5:7,1,4,3,2`); a range is unordered, so a descending run stays a list.
    static func orderedSet(_ numbers: [UInt32]) -> String {
        var parts: [String] = []
        var index = 0
        while index < numbers.count {
            var last = index
            while last + 1 < numbers.count, numbers[last + 1] == numbers[last] &+ 1 { last += 1 }
            parts.append(last == index ? "\(numbers[index])" : "\(numbers[index]):\(numbers[last])")
            index = last + 1
        }
        return parts.joined(separator: ",")
    }
}
