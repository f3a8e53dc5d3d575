/// `seq-number = nz-number / "*"` (RFC 3501 §9). `*` is the largest number in use: the
/// message count for sequence numbers, the highest UID for UIDs.
public enum SequenceNumber: Hashable, Sendable {
    case number(UInt32)
    case last

    func resolved(max: UInt32) -> UInt32 {
        switch self {
        case .number(let value): return value
        case .last: return max
        }
    }
}

/// `seq-range = seq-number ":" seq-number`; `4:2` is the same as `2:4`.
public struct SequenceRange: Hashable, Sendable {
    public var first: SequenceNumber
    public var second: SequenceNumber

    public init(_ first: SequenceNumber, _ second: SequenceNumber) {
        self.first = first; self.second = second
    }

    public init(_ single: SequenceNumber) { self.init(single, single) }

    /// The range with `*` replaced by `max`, bounds in order. A UID range `559:*` thus always
    /// includes the highest UID even if 559 is above it (RFC 3501 §6.4.8).
    public func resolved(max: UInt32) -> ClosedRange<UInt32> {
        let a = first.resolved(max: max), b = second.resolved(max: max)
        return Swift.min(a, b)...Swift.max(a, b)
    }
}

/// `sequence-set = (seq-number / seq-range) *("," sequence-set)` — used both for message
/// sequence numbers and for UIDs.
public struct SequenceSet: Hashable, Sendable, CustomStringConvertible {
    public var ranges: [SequenceRange]
    /// `seq-last-command = "$"` (RFC 5182): the saved search result; `ranges` is empty and the
    /// session substitutes the saved messages.
    public var isSavedResult = false

    /// `$`
    public static let savedResult: SequenceSet = { var set = SequenceSet([]); set.isSavedResult = true; return set }()

    public init(_ ranges: [SequenceRange]) { self.ranges = ranges }

    /// The set of exactly these numbers, compressed into ranges (for APPENDUID / COPYUID).
    public init<S: Sequence>(numbers: S) where S.Element == UInt32 {
        var ranges: [SequenceRange] = []
        var current: (UInt32, UInt32)?
        for value in numbers.sorted() {
            if let (low, high) = current {
                if value == high || value == high &+ 1 { current = (low, value); continue }
                ranges.append(SequenceRange(.number(low), .number(high)))
            }
            current = (value, value)
        }
        if let (low, high) = current { ranges.append(SequenceRange(.number(low), .number(high))) }
        self.ranges = ranges
    }

    public static let all = SequenceSet([SequenceRange(.number(1), .last)])

    /// Sorted, merged ranges with `*` = `max`.
    public func resolved(max: UInt32) -> [ClosedRange<UInt32>] {
        let sorted = ranges.map { $0.resolved(max: max) }.sorted { $0.lowerBound < $1.lowerBound }
        var merged: [ClosedRange<UInt32>] = []
        for range in sorted {
            if let last = merged.last, range.lowerBound <= last.upperBound || range.lowerBound == last.upperBound &+ 1 {
                merged[merged.count - 1] = last.lowerBound...Swift.max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        return merged
    }

    public func contains(_ value: UInt32, max: UInt32) -> Bool {
        ranges.contains { $0.resolved(max: max).contains(value) }
    }

    /// The numbers in the set that are between 1 and `max` (message sequence numbers; `max`
    /// is the message count). Bounded by `max`, never by the set's own numbers.
    public func numbers(upTo max: UInt32) -> [UInt32] {
        guard max > 0 else { return [] }
        var result: [UInt32] = []
        for range in resolved(max: max) where range.lowerBound <= max {
            let low = Swift.max(range.lowerBound, 1), high = Swift.min(range.upperBound, max)
            guard low <= high else { continue }
            result.append(contentsOf: low...high)
        }
        return result
    }

    /// The members of `sortedUIDs` (ascending, the mailbox's UIDs) that are in the set.
    public func matching(_ sortedUIDs: [UInt32]) -> [UInt32] {
        guard let maxUID = sortedUIDs.last else { return [] }
        let ranges = resolved(max: maxUID)
        var result: [UInt32] = []
        var rangeIndex = 0
        for uid in sortedUIDs {
            while rangeIndex < ranges.count, ranges[rangeIndex].upperBound < uid { rangeIndex += 1 }
            guard rangeIndex < ranges.count else { break }
            if ranges[rangeIndex].contains(uid) { result.append(uid) }
        }
        return result
    }

    /// True if every number is at most `max` (a sequence set naming a message that does not
    /// exist is a BAD, RFC 3501 §9 "seq-number").
    public func isWithin(max: UInt32) -> Bool {
        ranges.allSatisfy { $0.resolved(max: max).upperBound <= max && $0.resolved(max: max).lowerBound >= 1 }
    }

    public var description: String {
        if isSavedResult { return "$" }
        return ranges.map { range in
            func text(_ number: SequenceNumber) -> String {
                switch number {
                case .number(let value): return String(value)
                case .last: return "*"
                }
            }
            return range.first == range.second ? text(range.first) : "\(text(range.first)):\(text(range.second))"
        }.joined(separator: ",")
    }

    /// Parses a sequence set from text (`"1:3,5,7:*"`).
    public init(parsing text: String) throws(IMAPParseError) {
        var reader = IMAPReader(Array(text.utf8))
        self = try reader.sequenceSet()
        try reader.expectEnd()
    }
}

extension IMAPReader {
    /// `seq-number = nz-number / "*"`
    mutating func sequenceNumber() throws(IMAPParseError) -> SequenceNumber {
        if skip(UInt8(ascii: "*")) { return .last }
        return .number(try nzNumber("a message number"))
    }

    mutating func sequenceSet() throws(IMAPParseError) -> SequenceSet {
        if skip(UInt8(ascii: "$")) { return .savedResult }
        var ranges: [SequenceRange] = []
        repeat {
            guard ranges.count < IMAPLimits.maxSequenceRanges else { throw error("Sequence set too long") }
            let first = try sequenceNumber()
            if skip(UInt8(ascii: ":")) {
                ranges.append(SequenceRange(first, try sequenceNumber()))
            } else {
                ranges.append(SequenceRange(first))
            }
        } while skip(UInt8(ascii: ","))
        return SequenceSet(ranges)
    }
}
