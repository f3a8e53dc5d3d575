import Foundation
import Synchronization

/// A `DNSLookupService` that keeps answers of a `DNSResolver` for their TTL (RFC 1035 §3.2.1)
/// and "does not exist" / "no such record" for `negativeTTL` (RFC 2308 §5 caps it; the SOA is
/// not kept by the resolver, so one value is used). Failures (timeouts, SERVFAIL) are not cached.
public final class CachingResolver: DNSRecordLookup {
    public let resolver: DNSResolver
    public let negativeTTL: UInt32
    private let clock: @Sendable () -> Date
    private let cache: Mutex<DNSCache<Result<[DNSResourceRecord], DNSLookupError>>>

    public init(resolver: DNSResolver, negativeTTL: UInt32 = 300, capacity: Int = DNSLimits.maxCacheEntries,
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.resolver = resolver
        self.negativeTTL = negativeTTL
        self.clock = clock
        self.cache = Mutex(DNSCache(capacity: capacity))
    }

    /// Entries currently held (expired ones included until they are evicted).
    public var count: Int { cache.withLock { $0.count } }

    public func records(_ name: String, type: DNSRecordType) async throws(DNSLookupError) -> [DNSResourceRecord] {
        let key = DNSCache<Result<[DNSResourceRecord], DNSLookupError>>.Key(name: name, type: type)
        if let cached = cache.withLock({ $0.value(for: key, now: clock()) }) { return try cached.get() }
        do {
            let answer = try await resolver.records(name, type: type)
            cache.withLock { $0.insert(.success(answer), for: key, ttl: DNSCache<Bool>.ttl(of: answer), now: clock()) }
            return answer
        } catch {
            switch error {
            case .nameDoesNotExist, .noData:
                cache.withLock { $0.insert(.failure(error), for: key, ttl: negativeTTL, now: clock()) }
            default: break
            }
            throw error
        }
    }
}
