import Testing
@testable import FacteurDNS

struct DNSMessageTests {
    @Test func decodesCompressedMXResponseFixture() throws {
        let message = try DNSMessage.decode(Wire.compressedMXResponse)
        #expect(message.header.id == 0x1234)
        #expect(message.header.isResponse)
        #expect(message.header.recursionAvailable)
        #expect(message.header.responseCode == .noError)
        #expect(message.questions == [DNSQuestion(name: try DNSName("example.com"), type: .mx)])
        #expect(message.answers.count == 2)
        #expect(message.answers[0].ttl == 3600)
        #expect(message.answers[0].data == .mx(preference: 10, exchange: try DNSName("mail.example.com")))
        #expect(message.answers[1].data == .mx(preference: 20, exchange: try DNSName("backup.example.com")))
    }

    @Test func headerFlagsRoundTrip() throws {
        let header = DNSHeader(id: 7, isResponse: true, opcode: 2, authoritative: true, truncated: true,
                               recursionDesired: false, recursionAvailable: true, responseCode: .refused)
        let bytes = try DNSMessage(header: header).encode()
        #expect(bytes.count == 12)
        #expect(try DNSMessage.decode(bytes).header == header)
    }

    @Test func queryEncodesToTheRFCLayout() throws {
        let bytes = try DNSMessage.query(id: 0xBEEF, name: DNSName("example.com"), type: .aaaa).encode()
        #expect(bytes == Wire.header(id: 0xBEEF, flags: 0x0100) + Wire.name("example", "com") + Wire.u16(28) + Wire.u16(1))
    }

    static let allRecordData: [DNSRecordData] = {
        let name = (try? DNSName("host.example.org")) ?? .root
        return [
            .a(.v4([192, 0, 2, 1])),
            .aaaa(.v6([0x20, 0x01, 0x0D, 0xB8] + Array(repeating: 0, count: 11) + [1])),
            .ns(name), .cname(name), .ptr(name),
            .mx(preference: 5, exchange: name),
            .txt([Array("v=spf1 -all".utf8), [], Array(repeating: 0x7A, count: 255)]),
            .soa(DNSStartOfAuthority(primary: name, mailbox: name, serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5)),
        ]
    }()

    @Test(arguments: allRecordData)
    func recordsRoundTrip(data: DNSRecordData) throws {
        let owner = try DNSName("example.org")
        let record = DNSResourceRecord(name: owner, ttl: 60, data: data)
        let message = DNSMessage(header: DNSHeader(id: 1, isResponse: true), questions: [DNSQuestion(name: owner, type: record.type)],
                                 answers: [record], authorities: [record], additionals: [record])
        let decoded = try DNSMessage.decode(try message.encode())
        #expect(decoded == message)
        // And once more: encode(decode(x)) is stable.
        #expect(try decoded.encode() == message.encode())
    }

    @Test func unknownTypesKeepTheirOctets() throws {
        let owner = try DNSName("example.org")
        let record = DNSResourceRecord(name: owner, type: DNSRecordType(rawValue: 99), ttl: 1, data: .unknown([1, 2, 3]))
        let decoded = try DNSMessage.decode(try DNSMessage(header: DNSHeader(id: 1), answers: [record]).encode())
        #expect(decoded.answers == [record])
        #expect(decoded.answers[0].type.description == "TYPE99")
    }

    @Test func ttlWithTopBitSetIsZero() throws {
        var bytes = Wire.header(qd: 0, an: 1) + Wire.name("a") + Wire.u16(1) + Wire.u16(1) + Wire.u32(0x8000_0001) + Wire.u16(4) + [1, 2, 3, 4]
        #expect(try DNSMessage.decode(bytes).answers[0].ttl == 0)
        bytes = Wire.header(qd: 0, an: 1) + Wire.name("a") + Wire.u16(1) + Wire.u16(1) + Wire.u32(0x7FFF_FFFF) + Wire.u16(4) + [1, 2, 3, 4]
        #expect(try DNSMessage.decode(bytes).answers[0].ttl == 0x7FFF_FFFF)
    }

    @Test func everyTruncationOfTheFixtureFailsCleanly() {
        let fixture = Wire.compressedMXResponse
        for length in 0..<fixture.count {
            #expect(throws: DNSWireError.self, "prefix of \(length) octets") { _ = try DNSMessage.decode(Array(fixture.prefix(length))) }
        }
        #expect(throws: Never.self) { _ = try DNSMessage.decode(fixture) }
    }

    @Test(arguments: [
        // A record with RDLENGTH 3.
        (Wire.header(qd: 0, an: 1) + Wire.name("a") + Wire.u16(1) + Wire.u16(1) + Wire.u32(1) + Wire.u16(3) + [1, 2, 3], DNSWireError.badRecordData(type: 1)),
        // AAAA with 4 octets.
        (Wire.header(qd: 0, an: 1) + Wire.name("a") + Wire.u16(28) + Wire.u16(1) + Wire.u32(1) + Wire.u16(4) + [1, 2, 3, 4], .badRecordData(type: 28)),
        // MX whose name runs past RDLENGTH.
        (Wire.header(qd: 0, an: 1) + Wire.name("a") + Wire.u16(15) + Wire.u16(1) + Wire.u32(1) + Wire.u16(3) + [0, 1] + Wire.name("b"), .badRecordData(type: 15)),
        // TXT whose string length runs past RDLENGTH.
        (Wire.header(qd: 0, an: 1) + Wire.name("a") + Wire.u16(16) + Wire.u16(1) + Wire.u32(1) + Wire.u16(2) + [5, 0x61] + [0x62, 0x63, 0x64, 0x65], .badRecordData(type: 16)),
        // Empty TXT RDATA.
        (Wire.header(qd: 0, an: 1) + Wire.name("a") + Wire.u16(16) + Wire.u16(1) + Wire.u32(1) + Wire.u16(0), .badRecordData(type: 16)),
        // RDLENGTH larger than the message.
        (Wire.header(qd: 0, an: 1) + Wire.name("a") + Wire.u16(1) + Wire.u16(1) + Wire.u32(1) + Wire.u16(400) + [1, 2, 3, 4], .truncated(offset: 25)),
        // Counts beyond the limits.
        (Wire.header(qd: 200), .tooManyRecords),
        (Wire.header(qd: 0, an: 0xFFFF, ns: 0xFFFF, ar: 0xFFFF), .tooManyRecords),
        // A CNAME whose target is a pointer loop.
        (Wire.header(qd: 0, an: 1) + Wire.name("a") + Wire.u16(5) + Wire.u16(1) + Wire.u32(1) + Wire.u16(2) + [0xC0, 0x19], .compressionLoop(offset: 25)),
    ])
    func rejectsMalformedMessages(bytes: [UInt8], expected: DNSWireError) {
        #expect(throws: expected) { _ = try DNSMessage.decode(bytes) }
    }

    @Test func randomBytesNeverCrash() {
        var generator = SeededGenerator(state: 0xFAC7E0)
        var decoded = 0
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...80, using: &generator)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Keep counts small so that the body is actually parsed, not rejected by limits.
            if bytes.count >= 12 {
                for index in 4..<12 { bytes[index] = index % 2 == 0 ? 0 : bytes[index] & 1 }
                bytes[9] = 0
                bytes[11] = 0
            }
            if (try? DNSMessage.decode(bytes)) != nil { decoded += 1 }
        }
        #expect(decoded > 0)
    }

    @Test func mutatedFixtureNeverCrashes() {
        var generator = SeededGenerator(state: 42)
        let fixture = Wire.compressedMXResponse
        for _ in 0..<20_000 {
            var bytes = fixture
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = try? DNSMessage.decode(bytes)
        }
    }

    @Test func encodingRejectsOversizedCharacterString() throws {
        let record = DNSResourceRecord(name: try DNSName("a"), ttl: 1, data: .txt([Array(repeating: 0, count: 256)]))
        #expect(throws: DNSWireError.characterStringTooLong) { _ = try DNSMessage(header: DNSHeader(id: 1), answers: [record]).encode() }
    }
}
