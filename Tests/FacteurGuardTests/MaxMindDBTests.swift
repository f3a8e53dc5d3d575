import FacteurTestSupport
import Foundation
import Testing
@testable import FacteurGuard
import FacteurNet

@Suite struct MaxMindDBTests {
    static let geoip = testDataRoot.appendingPathComponent("geoip")

    static func open(_ name: String) throws -> MaxMindDB {
        try MaxMindDB(contentsOf: geoip.appendingPathComponent(name))
    }

    static func fileBytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: geoip.appendingPathComponent(name)))
    }

    @Test func metadataOfBothTestFiles() throws {
        let lite = try Self.open("GeoLite2-Country-Test.mmdb").metadata
        #expect(lite.databaseType == "GeoLite2-Country")
        #expect(lite.ipVersion == 6)
        #expect([24, 28, 32].contains(lite.recordSize))
        #expect(lite.nodeCount > 0)
        #expect(lite.majorVersion == 2)
        #expect(lite.languages.contains("en"))
        let geo = try Self.open("GeoIP2-Country-Test.mmdb").metadata
        #expect(geo.databaseType == "GeoIP2-Country")
        #expect(geo.recordSize == 28)
    }

    /// Known answers from the README and the JSON source.
    static let knownCases: [(String, String?)] = [
        ("81.2.69.142", "GB"), ("81.2.69.143", "GB"), ("81.2.69.160", "GB"),
        ("67.43.156.0", "BT"), ("67.43.156.255", "BT"),
        ("50.114.0.1", "US"), ("50.114.3.255", "US"),
        ("::ffff:89.160.20.130", "SE"),                 // mapped address reads the IPv4 tree
        ("2.125.160.216", "GB"), ("216.160.83.60", "US"), ("202.196.224.5", "PH"),
        ("2001:218::1", "JP"), ("2001:220::", "KR"), ("2a02:cf40::1", "NO"),
        ("2a02:d500::1", nil),                          // record has no country at all
        ("10.0.0.1", nil), ("127.0.0.1", nil), ("::1", nil), ("1.1.1.1", nil), ("2001:db8::1", nil),
    ]

    @Test(arguments: knownCases)
    func knownCountries(address: String, country: String?) throws {
        let db = try Self.open("GeoLite2-Country-Test.mmdb")
        #expect(db.country(for: ip(address)) == country)
    }

    /// Every network of the JSON source file: its first and last address give the expected
    /// country (falling back to the registered country).
    @Test func everyNetworkOfTheSourceFile() throws {
        let db = try Self.open("GeoLite2-Country-Test.mmdb")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.geoip.appendingPathComponent("GeoLite2-Country-Test.json")))
        let entries = try #require(json as? [[String: [String: Any]]])
        #expect(entries.count > 100)
        var checked = 0
        for entry in entries {
            for (cidr, record) in entry {
                let network = net(cidr)
                let expected = ((record["country"] as? [String: Any])?["iso_code"] as? String)
                    ?? ((record["registered_country"] as? [String: Any])?["iso_code"] as? String)
                let (maskHigh, maskLow) = Bits128.mask(network.length128)
                let last = IPAddress(high: network.address.high | ~maskHigh, low: network.address.low | ~maskLow)
                #expect(db.country(for: network.address) == expected, "\(cidr) first")
                #expect(db.country(for: last) == expected, "\(cidr) last")
                checked += 1
            }
        }
        #expect(checked == entries.count)
    }

    @Test func fullRecordLookup() throws {
        let db = try Self.open("GeoLite2-Country-Test.mmdb")
        let record = try #require(try db.lookup(ip("81.2.69.142")))
        #expect(record["country"]?["iso_code"] == .string("GB"))
        #expect(record["registered_country"]?["iso_code"] == .string("US"))
        #expect(record["country"]?["names"]?["en"] == .string("United Kingdom"))
        #expect(record["continent"]?["code"] == .string("EU"))
        #expect(try db.lookup(ip("10.0.0.1")) == nil)
    }

    @Test(arguments: [("81.2.69.142", "GB"), ("89.160.20.112", "SE"), ("2001:218::1", "JP"), ("10.0.0.1", nil)])
    func geoIP2File(address: String, country: String?) throws {
        let db = try Self.open("GeoIP2-Country-Test.mmdb")
        #expect(db.country(for: ip(address)) == country)
    }

    @Test func missingFileIsAnError() {
        #expect(throws: MaxMindDBError.self) { try Self.open("no-such-file.mmdb") }
    }

    @Test(arguments: [[UInt8](), [0x00], Array("not a database".utf8), [UInt8](repeating: 0xAB, count: 5000)])
    func notADatabase(bytes: [UInt8]) {
        #expect(throws: MaxMindDBError.metadataNotFound) { try MaxMindDB(bytes: bytes) }
    }

    /// Any prefix of a real file either fails to open or answers lookups without crashing.
    @Test(arguments: ["GeoLite2-Country-Test.mmdb", "GeoIP2-Country-Test.mmdb"])
    func truncatedFiles(name: String) throws {
        let bytes = try Self.fileBytes(name)
        var opened = 0, refused = 0
        for cut in stride(from: 0, to: bytes.count, by: 97) {
            do {
                let db = try MaxMindDB(bytes: Array(bytes[0..<cut]))
                opened += 1
                for address in ["81.2.69.142", "2001:218::1", "67.43.156.1"] { _ = db.country(for: ip(address)) }
            } catch {
                refused += 1
            }
        }
        // Cutting the metadata away must be refused.
        #expect(refused > 0)
        #expect(throws: MaxMindDBError.self) { try MaxMindDB(bytes: Array(bytes.dropLast(40))) }
    }

    /// A file with random bytes written over its tree and data answers or errs, never crashes.
    @Test func corruptedFilesNeverCrash() throws {
        let original = try Self.fileBytes("GeoLite2-Country-Test.mmdb")
        guard let marker = Self.lastIndex(of: MaxMindDB.marker, in: original) else {
            Issue.record("no metadata marker in the test file")
            return
        }
        var random = SplitMix64(seed: 99)
        let probes = (0..<64).map { _ in GuardBenchmark.randomAddress(&random) } + [ip("81.2.69.142"), ip("2001:218::1")]
        for _ in 0..<200 {
            var bytes = original
            for _ in 0..<20 {
                bytes[Int(random.next() % UInt64(marker))] = UInt8(truncatingIfNeeded: random.next())
            }
            guard let db = try? MaxMindDB(bytes: bytes) else { continue }
            for probe in probes {
                _ = db.country(for: probe)
                _ = try? db.lookup(probe)
            }
        }
    }

    /// A pointer loop in the data section is stopped by the depth limit.
    @Test func pointerLoopIsAnError() {
        // Data section: a pointer (size bits 0) to offset 0, i.e. to itself.
        let decoder = MaxMindDecoder(bytes: [0x20, 0x00], base: 0, end: 2)
        #expect(throws: MaxMindDBError.self) { try decoder.decode(at: 0) }
        #expect(throws: MaxMindDBError.self) { try decoder.value(at: 0, path: ["country", "iso_code"]) }
    }

    /// Hand-made fields: bytes → decoded value (nil: must be an error).
    static let decodeCases: [([UInt8], MaxMindValue?)] = [
        ([0x43, 0x61, 0x62, 0x63], .string("abc")),
        ([0x40], .string("")),
        ([0xA2, 0x01, 0x00], .uint(256)),                        // uint16
        ([0xC4, 0x00, 0x00, 0x01, 0x00], .uint(256)),            // uint32
        ([0x02, 0x02, 0x01, 0x00], .uint(256)),                  // uint64 (extended type 9)
        ([0x04, 0x01, 0xFF, 0xFF, 0xFF, 0xFF], .int(-1)),        // int32
        ([0x01, 0x07], .bool(true)),
        ([0x00, 0x07], .bool(false)),
        ([0xE1, 0x41, 0x6B, 0x41, 0x76], .map(["k": .string("v")])),
        ([0x02, 0x04, 0x41, 0x78, 0x41, 0x79], .array([.string("x"), .string("y")])),
        ([0x68, 0x3F, 0xF0, 0, 0, 0, 0, 0, 0], .double(1.0)),
        ([0x44, 0x61], nil),                                     // string past the end
        ([0xE5, 0x41, 0x6B], nil),                               // map larger than the section
        ([0x00, 0x05], nil),                                     // data cache container
        ([0x00, 0x06], nil),                                     // end marker
        ([0x03, 0x07], nil),                                     // boolean of value 3
        ([0xA3, 0x01, 0x02, 0x03], nil),                         // uint16 of 3 bytes
        ([0xE1, 0xA1, 0x01, 0x41, 0x76], nil),                   // map key not a string
        ([0x5D], nil),                                           // size continues past the end
    ]

    @Test(arguments: decodeCases)
    func decodeFields(bytes: [UInt8], expected: MaxMindValue?) {
        let decoder = MaxMindDecoder(bytes: bytes, base: 0, end: bytes.count)
        if let expected {
            #expect((try? decoder.decode(at: 0).0) == expected)
            #expect((try? decoder.skip(at: 0)) == bytes.count)
        } else {
            #expect(throws: MaxMindDBError.self) { try decoder.decode(at: 0) }
        }
    }

    static func lastIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in stride(from: haystack.count - needle.count, through: 0, by: -1)
        where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }
}
