import FacteurTestSupport
import Testing
@testable import FacteurCollect

@Suite struct POP3StatusLineTests {
    @Test(arguments: [
        ("+OK", POP3StatusLine(ok: true, code: nil, text: "")),
        ("+OK 2 200", POP3StatusLine(ok: true, code: nil, text: "2 200")),
        ("-ERR [SYS/TEMP] try later", POP3StatusLine(ok: false, code: "SYS/TEMP", text: "try later")),
        ("+OKAY", nil), ("ERR", nil), ("", nil),
    ])
    func statusLine(line: String, expected: POP3StatusLine?) {
        #expect(POP3StatusLine(line.bytes) == expected)
    }
}

extension POP3StatusLine {
    init(ok: Bool, code: String?, text: String) {
        self.init("+OK".bytes)!
        self.ok = ok; self.code = code; self.text = text
    }
}
