import FacteurTestSupport
import Testing
@testable import FacteurPOP3Core

@Suite struct DotStuffingTests {
    @Test func encodeLinesStuffsLeadingDotsAndTerminates() {
        #expect(POP3DotStuffing.encode(lines: ["TOP", ".hidden", "..two", "a.b"]).text
                == "TOP\r\n..hidden\r\n...two\r\na.b\r\n.\r\n")
        #expect(POP3DotStuffing.encode(lines: []).text == ".\r\n")
    }

    @Test(arguments: [
        (".", POP3DotStuffing.DecodedLine.end),
        ("..", .content(".".bytes)),
        ("...x", .content("..x".bytes)),
        ("plain", .content("plain".bytes)),
        ("", .content([])),
        (".x", .content("x".bytes)),   // lenient: unstuffed as RFC 1939 §3 says
    ])
    func decode(line: String, expected: POP3DotStuffing.DecodedLine) {
        #expect(POP3DotStuffing.decode(line: line.bytes) == expected)
    }

    @Test(arguments: [
        ("a\nb\n", 6),          // LF counted as CRLF
        ("a\r\nb\r\n", 6),
        ("a\nb", 6),            // unterminated last line closed with CRLF
        ("", 0),
        (".\n", 3),             // stuffing not counted
    ])
    func wireSize(message: String, expected: Int) {
        #expect(POP3DotStuffing.wireSize(of: message.bytes) == expected)
    }

    @Test func wireSizeMatchesEncodedSizeMinusStuffing() {
        let message = "Subject: x\n\nbody\n.line\nlast".bytes
        let encoded = POP3MessageEncoder.encode(message: message)
        // encoded = stuffed body + ".\r\n"; one stuffed dot
        #expect(POP3DotStuffing.wireSize(of: message) == encoded.count - 3 - 1)
    }
}
