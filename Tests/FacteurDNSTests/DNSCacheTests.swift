import Foundation
import Testing
@testable import FacteurDNS

struct DNSCacheTests {
    let start = Date(timeIntervalSince1970: 1_000_000)

    @Test func keepsValueForItsTTL() {
        var cache = DNSCache<[String]>()
        let key = DNSCache<[String]>.Key(name: "Mail.Example.com.", type: .a)
        cache.insert(["192.0.2.1"], for: key, ttl: 60, now: start)
        #expect(cache.value(for: DNSCache<[String]>.Key(name: "mail.example.com", type: .a), now: start) == ["192.0.2.1"])
        #expect(cache.value(for: key, now: start.addingTimeInterval(59.9)) == ["192.0.2.1"])
        #expect(cache.remainingTTL(for: key, now: start.addingTimeInterval(10)) == 50)
        #expect(cache.value(for: key, now: start.addingTimeInterval(60)) == nil)
        #expect(cache.value(for: DNSCache<[String]>.Key(name: "mail.example.com", type: .aaaa), now: start) == nil)
    }

    @Test func zeroTTLIsNotCachedAndRemovesOldValue() {
        var cache = DNSCache<Int>()
        let key = DNSCache<Int>.Key(name: "a", type: .a)
        cache.insert(1, for: key, ttl: 10, now: start)
        cache.insert(2, for: key, ttl: 0, now: start)
        #expect(cache.value(for: key, now: start) == nil)
        #expect(cache.count == 0)
    }

    @Test func capsLongTTLs() {
        var cache = DNSCache<Int>()
        let key = DNSCache<Int>.Key(name: "a", type: .a)
        cache.insert(1, for: key, ttl: .max, now: start)
        #expect(cache.remainingTTL(for: key, now: start) == DNSCache<Int>.maxTTL)
    }

    @Test func evictsExpiredThenSoonestExpiringWhenFull() {
        var cache = DNSCache<Int>(capacity: 2)
        let a = DNSCache<Int>.Key(name: "a", type: .a)
        let b = DNSCache<Int>.Key(name: "b", type: .a)
        let c = DNSCache<Int>.Key(name: "c", type: .a)
        cache.insert(1, for: a, ttl: 100, now: start)
        cache.insert(2, for: b, ttl: 10, now: start)
        cache.insert(3, for: c, ttl: 50, now: start)
        #expect(cache.count == 2)
        #expect(cache.value(for: b, now: start) == nil)
        #expect(cache.value(for: a, now: start) == 1)
        #expect(cache.value(for: c, now: start) == 3)
    }

    @Test func negativeAnswersCanBeCached() {
        var cache = DNSCache<Result<[String], DNSLookupError>>()
        let key = DNSCache<Result<[String], DNSLookupError>>.Key(name: "gone.example", type: .a)
        cache.insert(.failure(.nameDoesNotExist("gone.example")), for: key, ttl: 30, now: start)
        #expect(cache.value(for: key, now: start.addingTimeInterval(29)) == .failure(.nameDoesNotExist("gone.example")))
        #expect(cache.value(for: key, now: start.addingTimeInterval(31)) == nil)
    }

    @Test func ttlOfRecordSetIsTheMinimum() throws {
        let name = try DNSName("a")
        let records = [DNSResourceRecord(name: name, ttl: 300, data: .a(.v4([1, 2, 3, 4]))),
                       DNSResourceRecord(name: name, ttl: 30, data: .a(.v4([1, 2, 3, 5])))]
        #expect(DNSCache<Int>.ttl(of: records) == 30)
        #expect(DNSCache<Int>.ttl(of: []) == 0)
    }
}
