import Testing
@testable import FacteurIMAPCore

struct IMAPGrammarTests {
    @Test func characterClasses() {
        for byte in Array("()%*\"\\] {".utf8) + [0, 31, 127, 200] { #expect(!IMAPGrammar.isAtomChar(byte)) }
        for byte in Array("aZ09!#$&'+,-./:;<=>?@[^_`|}~".utf8) { #expect(IMAPGrammar.isAtomChar(byte)) }
        #expect(IMAPGrammar.isAstringChar(UInt8(ascii: "]")))
        #expect(!IMAPGrammar.isTagChar(UInt8(ascii: "+")))
        #expect(IMAPGrammar.isListChar(UInt8(ascii: "%")) && IMAPGrammar.isListChar(UInt8(ascii: "*")))
        #expect(IMAPGrammar.isAtom("FLAGS") && !IMAPGrammar.isAtom("a b") && !IMAPGrammar.isAtom(""))
    }

    @Test(arguments: [("a1 NOOP", "a1"), ("A.2 x", "A.2"), ("+ x", nil), ("", nil), (" x", nil), ("a(b c", nil)] as [(String, String?)])
    func leadingTag(_ input: String, _ expected: String?) {
        #expect(IMAPGrammar.leadingTag(Array(input.utf8)) == expected)
    }

    @Test(arguments: [("a APPEND INBOX {3}", true), ("a append x", true), ("a APPENDX", false), ("APPEND x", false), ("a UID FETCH", false)])
    func recognisesAppend(_ input: String, _ expected: Bool) {
        #expect(IMAPGrammar.isAppendCommand(Array(input.utf8)) == expected)
    }
}
