import Testing
@testable import FacteurIMAPCore

struct FlagTests {
    @Test func systemFlagsAreCanonical() {
        #expect(Flag("\\SEEN") == .seen)
        #expect(Flag("\\deleted").raw == "\\Deleted")
        #expect(Flag("\\Extension").raw == "\\Extension")
        #expect(Flag("$Forwarded").raw == "$Forwarded")
        #expect(Flag("$Forwarded") != Flag("$forwarded"))
        #expect(Flag.seen.isSystem && !Flag("Junk").isSystem)
    }

    @Test func parsesFlagLists() throws {
        var reader = IMAPReader(Array("(\\Seen \\answered $Junk)".utf8))
        #expect(try reader.flagList() == [.seen, .answered, Flag("$Junk")])
        var empty = IMAPReader(Array("()".utf8))
        #expect(try empty.flagList() == [])
        var bad = IMAPReader(Array("(\\)".utf8))
        #expect(throws: IMAPParseError.self) { try bad.flagList() }
    }
}

struct FlagEncodingTests {
    @Test func invalidStoredKeywordsAreNotSent() {
        let flags = [Flag.seen, Flag("$Junk"), Flag("bad keyword"), Flag("\\*"), Flag("br(ace"), Flag("\\")]
        #expect(written { $0.flagList(flags) } == "(\\Seen $Junk \\*)")
    }
}
