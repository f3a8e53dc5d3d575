import Testing
@testable import FacteurDNS

struct DNSNameTests {
    @Test(arguments: [
        ("mail.example.com", "mail.example.com", 3),
        ("mail.example.com.", "mail.example.com", 3),
        (".", ".", 0),
        ("a\\.b.example", "a\\.b.example", 2),
        ("\\065bc.example", "Abc.example", 2),
    ])
    func parsesText(text: String, expected: String, labelCount: Int) throws {
        let name = try DNSName(text)
        #expect(name.description == expected)
        #expect(name.labels.count == labelCount)
    }

    @Test(arguments: ["", "a..b", ".a", "trailing\\", "\\25", "\\999.x",
                      String(repeating: "a", count: 64) + ".com",
                      Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".")])
    func rejectsInvalidText(text: String) {
        #expect(throws: DNSWireError.self) { try DNSName(text) }
    }

    @Test func longestLegalNameIsAccepted() throws {
        // 3 × 63 + 61 octets of labels + 4 length octets + root = 255.
        let labels = Array(repeating: String(repeating: "a", count: 63), count: 3) + [String(repeating: "b", count: 61)]
        let name = try DNSName(labels.joined(separator: "."))
        #expect(name.wireLength == 255)
    }

    @Test func comparesCaseInsensitively() throws {
        #expect(try DNSName("MAIL.Example.COM") == DNSName("mail.example.com."))
        #expect(try DNSName("MAIL.Example.COM").normalized == "mail.example.com")
        #expect(try DNSName("mail.example.com") != DNSName("mail.example.org"))
        let set: Set<DNSName> = [try DNSName("A.example")]
        #expect(set.contains(try DNSName("a.EXAMPLE")))
    }

    @Test func escapesUnprintableOctetsAndRoundTrips() throws {
        let name = try DNSName(labels: [[0x00, 0x2E, 0x41, 0x20], Array("x".utf8)])
        #expect(name.description == "\\000\\.A\\032.x")
        #expect(try DNSName(name.description) == name)
        #expect(try DNSName(name.description).labels == name.labels)
    }

    // MARK: Wire decoding

    private func decode(_ bytes: [UInt8], at offset: Int = 0) throws(DNSWireError) -> (DNSName, Int) {
        var reader = WireReader(bytes, offset: offset)
        let name = try DNSName.read(from: &reader)
        return (name, reader.offset)
    }

    @Test func decodesUncompressedName() throws {
        let (name, end) = try decode(Wire.name("mail", "example", "com"))
        #expect(name.description == "mail.example.com")
        #expect(end == 18)
    }

    @Test func decodesPointerAndResumesAfterIt() throws {
        // "example.com" at 0, then "mail" + pointer to 0 at 13.
        let bytes = Wire.name("example", "com") + [4] + Array("mail".utf8) + [0xC0, 0x00] + [0xFF]
        let (name, end) = try decode(bytes, at: 13)
        #expect(name.description == "mail.example.com")
        #expect(end == 20)
    }

    @Test func decodesChainOfBackwardPointers() throws {
        // "com" at 0; "example" + ptr(0) at 5; "mail" + ptr(5) at 15.
        let bytes = Wire.name("com") + [7] + Array("example".utf8) + [0xC0, 0x00] + [4] + Array("mail".utf8) + [0xC0, 0x05]
        let (name, _) = try decode(bytes, at: 15)
        #expect(name.description == "mail.example.com")
    }

    @Test(arguments: [
        // A pointer to itself.
        ([0xC0, 0x00] as [UInt8], 0),
        // Two pointers pointing at each other.
        ([0xC0, 0x02, 0xC0, 0x00], 2),
        // A label followed by a pointer back to that label: strictly backwards, yet a loop.
        ([1, 0x61, 0xC0, 0x00], 0),
        // A forward pointer.
        ([0xC0, 0x02, 0x00], 0),
    ])
    func rejectsCompressionLoops(bytes: [UInt8], offset: Int) {
        #expect(throws: DNSWireError.self) { _ = try decode(bytes, at: offset) }
        do { _ = try decode(bytes, at: offset) } catch {
            guard case .compressionLoop = error else { Issue.record("expected compressionLoop, got \(error)"); return }
        }
    }

    @Test(arguments: [
        ([] as [UInt8], DNSWireError.truncated(offset: 0)),
        ([3, 0x61, 0x62], .truncated(offset: 0)),
        ([3, 0x61, 0x62, 0x63], .truncated(offset: 4)),
        ([0xC0], .truncated(offset: 0)),
        ([0x40, 0x00], .reservedLabelType(offset: 0)),
        ([0x80, 0x00], .reservedLabelType(offset: 0)),
    ])
    func rejectsTruncatedAndReserved(bytes: [UInt8], expected: DNSWireError) {
        #expect(throws: expected) { _ = try decode(bytes) }
    }

    @Test func rejectsNameLongerThan255ViaPointers() {
        // Each block is a 63-octet label then a pointer to the previous block: a legal-looking
        // backwards chain whose total length exceeds 255 octets.
        var bytes: [UInt8] = [0]
        var previous = 0
        for _ in 0..<5 {
            let start = bytes.count
            bytes += [63] + Array(repeating: 0x61, count: 63) + [0xC0, UInt8(previous)]
            previous = start
        }
        #expect(throws: DNSWireError.nameTooLong) { _ = try decode(bytes, at: previous) }
    }
}
