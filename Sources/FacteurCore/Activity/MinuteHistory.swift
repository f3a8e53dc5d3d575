import Foundation

/// Per-minute counts of connections and rejections, for the Overview sparklines.
public struct MinuteHistory: Sendable, Equatable, Codable {
    public struct Bucket: Sendable, Equatable, Codable {
        public var minute: Int
        public var connections: Int
        public var rejections: Int
    }

    /// Oldest first, at most `capacity`, minutes strictly increasing.
    public private(set) var buckets: [Bucket] = []
    public let capacity: Int

    public init(capacity: Int = ActivityLimits.historyMinutes) { self.capacity = max(1, capacity) }

    public static func minute(of date: Date) -> Int { Int((date.timeIntervalSince1970 / 60).rounded(.down)) }

    public mutating func countConnection(at date: Date) { bump(at: date) { $0.connections += 1 } }
    public mutating func countRejection(at date: Date) { bump(at: date) { $0.rejections += 1 } }

    private mutating func bump(at date: Date, _ change: (inout Bucket) -> Void) {
        let m = Self.minute(of: date)
        if let last = buckets.indices.last, buckets[last].minute == m {
            change(&buckets[last]); return
        }
        // An event stamped in an earlier minute (late delivery) lands in its own bucket if kept.
        if let i = buckets.lastIndex(where: { $0.minute == m }) { change(&buckets[i]); return }
        if let last = buckets.last, last.minute > m { return }
        var b = Bucket(minute: m, connections: 0, rejections: 0)
        change(&b)
        buckets.append(b)
        if buckets.count > capacity { buckets.removeFirst(buckets.count - capacity) }
    }

    /// The last `count` minutes ending with the minute of `now`, oldest first (zeros where quiet).
    public func series(endingAt now: Date, count: Int) -> (connections: [Int], rejections: [Int]) {
        guard count > 0 else { return ([], []) }
        let end = Self.minute(of: now)
        var c = [Int](repeating: 0, count: count), r = [Int](repeating: 0, count: count)
        for b in buckets {
            let i = count - 1 - (end - b.minute)
            if i >= 0 && i < count { c[i] = b.connections; r[i] = b.rejections }
        }
        return (c, r)
    }
}
