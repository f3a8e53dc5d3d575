import Foundation

/// The bans of a snapshot in a compact binary form (control protocol 2): with tens of thousands
/// of bans, one JSON object per ban made the snapshot megabytes of keys and made the console's
/// first frame wait for their decoding. Carried in the JSON as one base64 string.
///
/// Layout (all integers unsigned LEB128 unless said otherwise): a format byte (1), the ban count,
/// then per ban: network, rule, reason (each a string: length, UTF-8 bytes), the evidence count
/// and its strings, the source (one byte: 0 automatic, 1 manual), created (IEEE 754 double, 8
/// bytes big-endian, seconds since 1970), a byte saying whether an expiry follows and the
/// expiry (8 bytes, as created), hits.
public enum BanTable {
    public static let format: UInt8 = 1

    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    public static func encode(_ bans: [BanInfo]) -> [UInt8] {
        var out: [UInt8] = [format]
        out.reserveCapacity(16 + bans.count * 64)
        putNumber(UInt64(bans.count), &out)
        for ban in bans {
            putString(ban.network, &out)
            putString(ban.rule, &out)
            putString(ban.reason, &out)
            putNumber(UInt64(ban.evidence.count), &out)
            for e in ban.evidence { putString(e, &out) }
            out.append(ban.source == .manual ? 1 : 0)
            putDate(ban.created, &out)
            if let expires = ban.expires {
                out.append(1)
                putDate(expires, &out)
            } else {
                out.append(0)
            }
            putNumber(UInt64(max(0, ban.hits)), &out)
        }
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws(Malformed) -> [BanInfo] {
        var r = Reader(bytes: bytes)
        guard try r.byte() == format else { throw Malformed(description: "unknown ban table format") }
        let count = try r.count()
        var bans: [BanInfo] = []
        bans.reserveCapacity(count)
        for _ in 0..<count {
            let network = try r.string(), rule = try r.string(), reason = try r.string()
            var evidence: [String] = []
            for _ in 0..<(try r.count()) { evidence.append(try r.string()) }
            let source: BanInfo.Source = try r.byte() == 1 ? .manual : .automatic
            let created = try r.date()
            let expires: Date? = try r.byte() == 1 ? try r.date() : nil
            let hits = Int(clamping: try r.number())
            bans.append(BanInfo(network: network, rule: rule, reason: reason, evidence: evidence, source: source,
                                created: created, expires: expires, hits: hits))
        }
        guard r.atEnd else { throw Malformed(description: "bytes after the ban table") }
        return bans
    }

    private static func putNumber(_ n: UInt64, _ out: inout [UInt8]) {
        var n = n
        while n >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: n) | 0x80)
            n >>= 7
        }
        out.append(UInt8(n))
    }

    private static func putString(_ s: String, _ out: inout [UInt8]) {
        let utf8 = s.utf8
        putNumber(UInt64(utf8.count), &out)
        out.append(contentsOf: utf8)
    }

    private static func putDate(_ d: Date, _ out: inout [UInt8]) {
        let bits = d.timeIntervalSince1970.bitPattern
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    /// Reads with bounds checks: a short or corrupt table is an error, never a crash.
    private struct Reader {
        let bytes: [UInt8]
        var at = 0

        var atEnd: Bool { at == bytes.count }

        mutating func byte() throws(Malformed) -> UInt8 {
            guard at < bytes.count else { throw Malformed(description: "ban table cut short") }
            defer { at += 1 }
            return bytes[at]
        }

        mutating func number() throws(Malformed) -> UInt64 {
            var n: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = try byte()
                guard shift < 64 else { throw Malformed(description: "number too long in the ban table") }
                n |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return n }
                shift += 7
            }
        }

        /// A count or length: never more than the bytes left (each item takes at least one).
        mutating func count() throws(Malformed) -> Int {
            let n = try number()
            guard n <= UInt64(bytes.count - at) else { throw Malformed(description: "count beyond the end of the ban table") }
            return Int(n)
        }

        mutating func string() throws(Malformed) -> String {
            let n = try count()
            defer { at += n }
            return String(decoding: bytes[at..<(at + n)], as: UTF8.self)
        }

        mutating func date() throws(Malformed) -> Date {
            guard bytes.count - at >= 8 else { throw Malformed(description: "ban table cut short") }
            var bits: UInt64 = 0
            for i in 0..<8 { bits = bits << 8 | UInt64(bytes[at + i]) }
            at += 8
            return Date(timeIntervalSince1970: Double(bitPattern: bits))
        }
    }
}
