import Testing
@testable import FacteurIMAPCore

private func attributes(_ text: String) throws -> [FetchAttribute] {
    guard case .fetch(_, let attributes, _) = try IMAPCommandParser.parse(Array("t FETCH 1 \(text)\r\n".utf8)).command else {
        throw IMAPParseError("not a fetch")
    }
    return attributes
}

struct FetchAttributeTests {
    @Test(arguments: [
        ("ENVELOPE", FetchAttribute.envelope), ("FLAGS", .flags), ("INTERNALDATE", .internalDate), ("RFC822", .rfc822),
        ("RFC822.HEADER", .rfc822Header), ("RFC822.SIZE", .rfc822Size), ("RFC822.TEXT", .rfc822Text),
        ("BODY", .bodyStructureWithoutExtensions), ("BODYSTRUCTURE", .bodyStructure), ("UID", .uid),
        ("BODY[]", .bodySection(peek: false, section: .whole, partial: nil)),
        ("body.peek[]<0.1024>", .bodySection(peek: true, section: .whole, partial: 0...1023)),
        ("BODY[HEADER]", .bodySection(peek: false, section: SectionSpec(text: .header), partial: nil)),
        ("BODY[TEXT]", .bodySection(peek: false, section: SectionSpec(text: .text), partial: nil)),
        ("BODY[1]", .bodySection(peek: false, section: SectionSpec(part: [1]), partial: nil)),
        ("BODY[1.2.3]", .bodySection(peek: false, section: SectionSpec(part: [1, 2, 3]), partial: nil)),
        ("BODY[2.MIME]", .bodySection(peek: false, section: SectionSpec(part: [2], text: .mime), partial: nil)),
        ("BODY[2.HEADER]", .bodySection(peek: false, section: SectionSpec(part: [2], text: .header), partial: nil)),
        ("BODY[2.TEXT]", .bodySection(peek: false, section: SectionSpec(part: [2], text: .text), partial: nil)),
        ("BODY.PEEK[HEADER.FIELDS (DATE FROM \"X Y\")]",
         .bodySection(peek: true, section: SectionSpec(text: .headerFields(["DATE", "FROM", "X Y"])), partial: nil)),
        ("BODY[HEADER.FIELDS.NOT (Received)]<10.20>",
         .bodySection(peek: false, section: SectionSpec(text: .headerFieldsNot(["Received"])), partial: 10...29)),
    ])
    func parsesAndEncodes(_ text: String, _ expected: FetchAttribute) throws {
        #expect(try attributes(text) == [expected])
        let encoded = written { $0.fetchAttribute(expected) }
        #expect(try attributes(encoded) == [expected])
    }

    @Test func listsAndMacros() throws {
        #expect(try attributes("(UID FLAGS BODY.PEEK[])") == [.uid, .flags, .bodySection(peek: true, section: .whole, partial: nil)])
        #expect(try attributes("ALL") == [.flags, .internalDate, .rfc822Size, .envelope])
        #expect(try attributes("FAST") == [.flags, .internalDate, .rfc822Size])
        #expect(try attributes("FULL") == [.flags, .internalDate, .rfc822Size, .envelope, .bodyStructureWithoutExtensions])
    }

    @Test func seenSemantics() {
        #expect(FetchAttribute.rfc822.setsSeen)
        #expect(FetchAttribute.rfc822Text.setsSeen)
        #expect(!FetchAttribute.rfc822Header.setsSeen)
        #expect(FetchAttribute.bodySection(peek: false, section: .whole, partial: nil).setsSeen)
        #expect(!FetchAttribute.bodySection(peek: true, section: .whole, partial: nil).setsSeen)
    }

    @Test(arguments: ["BODY[", "BODY[HEADER", "BODY[FOO]", "BODY[1.]", "BODY[]<1>", "BODY[]<1.", "BODY[HEADER.FIELDS]", "BODY[HEADER.FIELDS ()]"])
    func refuses(_ text: String) {
        #expect(throws: IMAPParseError.self) { try attributes(text) }
    }
}
