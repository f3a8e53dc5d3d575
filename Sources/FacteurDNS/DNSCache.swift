import Foundation

/// A bounded cache that keeps each value for its TTL (RFC 1035 §3.2.1; negative answers for
/// the SOA minimum, RFC 2308 §5). Time is passed in, so expiry is tested without waiting.
public struct DNSCache<Value: Sendable>: Sendable {
    public struct Key: Hashable, Sendable {
        public var name: String
        public var type: DNSRecordType

        /// Names are compared case-insensitively and without a trailing dot.
        public init(name: String, type: DNSRecordType) {
            var lowered = name.lowercased()
            if lowered.count > 1, lowered.hasSuffix(".") { lowered.removeLast() }
            self.name = lowered
            self.type = type
        }
    }

    struct Entry: Sendable {
        var value: Value
        var expires: Date
    }

    /// TTLs above this are shortened (RFC 8767 §4 suggests capping at 7 days; one day is enough here).
    public static var maxTTL: UInt32 { 86_400 }

    public let capacity: Int
    private var entries: [Key: Entry] = [:]

    public init(capacity: Int = DNSLimits.maxCacheEntries) { self.capacity = max(1, capacity) }

    public var count: Int { entries.count }

    /// Stores `value` until `now + ttl`. A TTL of 0 means "do not cache" (RFC 1035 §3.2.1).
    public mutating func insert(_ value: Value, for key: Key, ttl: UInt32, now: Date) {
        guard ttl > 0 else { entries[key] = nil; return }
        if entries[key] == nil, entries.count >= capacity {
            removeExpired(now: now)
            if entries.count >= capacity, let soonest = entries.min(by: { $0.value.expires < $1.value.expires }) {
                entries[soonest.key] = nil
            }
        }
        entries[key] = Entry(value: value, expires: now.addingTimeInterval(TimeInterval(min(ttl, Self.maxTTL))))
    }

    /// The cached value, or nil when absent or expired at `now`.
    public func value(for key: Key, now: Date) -> Value? {
        guard let entry = entries[key], now < entry.expires else { return nil }
        return entry.value
    }

    /// Whole seconds left before `key` expires (what a forwarder would hand on as TTL).
    public func remainingTTL(for key: Key, now: Date) -> UInt32? {
        guard let entry = entries[key], now < entry.expires else { return nil }
        return UInt32(entry.expires.timeIntervalSince(now).rounded(.down))
    }

    public mutating func removeExpired(now: Date) {
        entries = entries.filter { now < $0.value.expires }
    }

    /// The smallest TTL of `records`, the TTL a set of answers can be cached for (RFC 2181 §5.2).
    public static func ttl(of records: [DNSResourceRecord]) -> UInt32 {
        records.map(\.ttl).min() ?? 0
    }
}
