import FacteurNet
import FacteurDNS
import Foundation
import Synchronization

/// An in-memory DNS for the mail-authentication tests, with the semantics of pyspf's test driver
/// (test/testspf.py): "timeout" answers every type not listed before it with a timeout, a CNAME
/// is followed one level, a missing name under "error." times out, any other missing name is NXDOMAIN.
final class ZoneResolver: DNSLookupService {
    enum Record: Sendable, Hashable {
        case a(String), aaaa(String), mx(UInt16, String), ptr(String), txt([String]), cname(String), timeout
    }

    let zone: [String: [Record]]
    private let queries = Mutex<[String]>([])

    init(_ zone: [String: [Record]]) {
        var lowered: [String: [Record]] = [:]
        for (name, records) in zone { lowered[Self.normalized(name), default: []] += records }
        self.zone = lowered
    }

    /// "TYPE name" of every query, in order.
    var log: [String] { queries.withLock { $0 } }

    static func normalized(_ name: String) -> String {
        var n = name.lowercased()
        while n.hasSuffix(".") { n.removeLast() }
        return n
    }

    enum Kind: String { case a = "A", aaaa = "AAAA", mx = "MX", ptr = "PTR", txt = "TXT" }

    func answer(_ name: String, _ kind: Kind, depth: Int = 0) throws(DNSLookupError) -> [Record] {
        queries.withLock { $0.append("\(kind.rawValue) \(name)") }
        let key = Self.normalized(name)
        if key.split(separator: ".").contains(where: { $0.utf8.count > 63 }) { throw .invalidName(name) }
        guard let records = zone[key] else {
            if key.hasPrefix("error.") { throw .timeout }
            throw .nameDoesNotExist(name)
        }
        var found: [Record] = []
        for record in records {
            switch (record, kind) {
            case (.timeout, _):
                if found.isEmpty { throw .timeout }
                return found
            case (.a, .a), (.aaaa, .aaaa), (.mx, .mx), (.ptr, .ptr), (.txt, .txt):
                found.append(record)
            case (.cname(let target), _) where depth == 0:
                return try answer(target, kind, depth: 1)
            default:
                continue
            }
        }
        if found.isEmpty { throw .noData(name, .a) }
        return found
    }

    func lookupA(_ name: String) async throws(DNSLookupError) -> [String] {
        try answer(name, .a).compactMap { if case .a(let v) = $0 { v } else { nil } }
    }
    func lookupAAAA(_ name: String) async throws(DNSLookupError) -> [String] {
        try answer(name, .aaaa).compactMap { if case .aaaa(let v) = $0 { IPAddress(v)?.description ?? v } else { nil } }
    }
    func lookupMX(_ name: String) async throws(DNSLookupError) -> [DNSMailExchange] {
        try answer(name, .mx).compactMap { if case .mx(let p, let e) = $0 { DNSMailExchange(preference: p, exchange: e) } else { nil } }
    }
    func lookupPTR(_ address: String) async throws(DNSLookupError) -> [String] {
        guard let ip = IPAddress(address) else { throw .invalidName(address) }
        return try answer(ReverseName.pointerName(for: ip), .ptr).compactMap { if case .ptr(let v) = $0 { v } else { nil } }
    }
    func lookupTXT(_ name: String) async throws(DNSLookupError) -> [String] {
        try answer(name, .txt).compactMap { if case .txt(let v) = $0 { v.joined() } else { nil } }
    }
}
