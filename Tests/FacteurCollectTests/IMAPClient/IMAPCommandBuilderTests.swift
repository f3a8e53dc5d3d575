import FacteurTestSupport
import Testing
@testable import FacteurCollect

@Suite struct IMAPCommandBuilderTests {
    func chunks(_ strings: [String]) -> [String] {
        var builder = IMAPCommandBuilder(tag: "A1")
        builder.atom("LOGIN")
        for string in strings { builder.string(string) }
        return builder.finish().map(\.text)
    }

    @Test(arguments: [
        (["alice", "secret"], ["A1 LOGIN \"alice\" \"secret\"\r\n"]),
        (["", "with space"], ["A1 LOGIN \"\" \"with space\"\r\n"]),
        ([#"q"uote"#, #"back\slash"#], [#"A1 LOGIN "q\"uote" "back\\slash""# + "\r\n"]),
        // 8-bit and CR/LF cannot be quoted (RFC 3501 §4.3): synchronizing literals.
        (["bob", "pässword"], ["A1 LOGIN \"bob\" {9}\r\n", "pässword\r\n"]),
        (["jöe", "line\r\nbreak"], ["A1 LOGIN {4}\r\n", "jöe {11}\r\n", "line\r\nbreak\r\n"]),
    ])
    func quotingAndLiterals(strings: [String], expected: [String]) {
        #expect(chunks(strings) == expected)
    }

    @Test(arguments: [
        ([1, 2, 3, 5, 7, 8], "1:3,5,7:8"), ([9], "9"), ([3, 1, 2, 2], "1:3"),
        ([4_294_967_295, 4_294_967_294], "4294967294:4294967295"),
    ] as [([UInt32], String)])
    func sequenceSet(uids: [UInt32], expected: String) {
        #expect(IMAPCommandBuilder.sequenceSet(uids) == expected)
    }
}
