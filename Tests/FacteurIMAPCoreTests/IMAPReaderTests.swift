import Testing
@testable import FacteurIMAPCore

struct IMAPReaderTests {
    @Test(arguments: [
        ("abc", "abc"), ("\"a b\"", "a b"), ("\"\"", ""), ("\"q\\\"\\\\\"", "q\"\\"), ("{3}\r\na\"b", "a\"b"),
        ("{3+}\r\nxyz", "xyz"), ("{0}\r\n\r\n", ""), ("{2}\nab", "ab"), ("a]b", "a]b"),
    ])
    func astring(_ input: String, _ expected: String) throws {
        var reader = IMAPReader(Array(input.utf8))
        #expect(try reader.astring().text == expected)
        #expect(reader.atEnd)
    }

    @Test(arguments: ["", "(", "\"open", "\"bad\r\"", "{", "{3}", "{3}\r\nab", "{3x}\r\nabc", "%", "*"])
    func refusesAstring(_ input: String) {
        var reader = IMAPReader(Array(input.utf8))
        #expect(throws: IMAPParseError.self) { try reader.astring() }
    }

    @Test func nstringAndNumbers() throws {
        var reader = IMAPReader(Array("NIL \"x\" 0 4294967295 4294967296".utf8))
        #expect(try reader.nstring() == nil)
        try reader.space()
        #expect(try reader.nstring() == Array("x".utf8))
        try reader.space()
        #expect(try reader.number() == 0)
        try reader.space()
        #expect(try reader.number() == UInt32.max)
        try reader.space()
        #expect(throws: IMAPParseError.self) { try reader.number() }
    }

    @Test func lineEndIsNotContent() {
        let crlf = IMAPReader(Array("a NOOP\r\n".utf8))
        #expect(crlf.end == 6)
        let lf = IMAPReader(Array("a NOOP\n".utf8))
        #expect(lf.end == 6)
        let bareCR = IMAPReader(Array("a NOOP\r".utf8))
        #expect(bareCR.end == 7)
    }

    @Test func errorsCarryOffsetAndTag() {
        var reader = IMAPReader(Array("abc (".utf8))
        reader.tag = "t1"
        reader.index = 4
        do {
            _ = try reader.atom()
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 4)
            #expect(error.tag == "t1")
            #expect(error.description == "Expected an atom (at octet 4)")
        }
    }
}
