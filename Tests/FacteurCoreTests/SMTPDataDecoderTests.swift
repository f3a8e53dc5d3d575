import Testing
@testable import FacteurCore
import FacteurMIME

struct SMTPDataDecoderTests {
    func run(_ s: String, max: Int = 1 << 20, splits: [Int] = []) -> (SMTPDataDecoder, String, Int) {
        var d = SMTPDataDecoder(maxSize: max)
        var out: [UInt8] = []
        let bytes = Array(s.utf8)
        var consumed = 0
        var cuts = splits.filter { $0 > 0 && $0 < bytes.count }.sorted()
        cuts.append(bytes.count)
        var start = 0
        for cut in cuts where !d.finished {
            let n = d.decode(bytes[start..<cut], into: &out)
            consumed += n
            start = cut
        }
        return (d, String(decoding: out, as: UTF8.self), consumed)
    }

    @Test func endsOnlyOnCRLFDotCRLF() {
        let (d, out, consumed) = run("Subject: x\r\n\r\nhello\r\n.\r\nQUIT\r\n")
        #expect(d.finished)
        #expect(out == "Subject: x\r\n\r\nhello\r\n")
        #expect(consumed == "Subject: x\r\n\r\nhello\r\n.\r\n".utf8.count)
    }

    @Test func immediateEnd() {
        let (d, out, _) = run(".\r\n")
        #expect(d.finished)
        #expect(out == "")
    }

    @Test func dotUnstuffing() {
        let (d, out, _) = run("..hidden\r\n...\r\n.x\r\n.\r\n")
        #expect(d.finished)
        #expect(out == ".hidden\r\n..\r\nx\r\n")
    }

    /// SMTP smuggling shapes: none of them ends the message; all are flagged.
    @Test(arguments: ["a\n.\r\nMAIL FROM:<x@y>\r\n", "a\r\n.\nMAIL FROM:<x@y>\r\n", "a\n.\nMAIL FROM:<x@y>\r\n"])
    func smugglingNeverEnds(_ body: String) {
        let (d, out, _) = run(body + "tail\r\n.\r\n")
        #expect(d.finished)
        #expect(d.smuggling)
        #expect(out.contains("MAIL FROM:<x@y>"))
    }

    @Test func bareCRIsData() {
        let (d, out, _) = run("a\r.\r\nb\r\n.\r\n")
        #expect(d.finished)
        #expect(!d.smuggling)
        #expect(out == "a\r.\r\nb\r\n")
    }

    @Test func randomSplitsGiveSameResult() {
        let msg = "From: a\r\n\r\n..x\r\nline\n.\r\nmore\r\n\r\n.\r\nNEXT"
        let whole = run(msg)
        for seed in 0..<200 {
            var rng = SplitMix(seed: UInt64(seed))
            let cuts = (0..<4).map { _ in Int(rng.next() % UInt64(msg.utf8.count)) }
            let split = run(msg, splits: cuts)
            #expect(split.1 == whole.1)
            #expect(split.2 == whole.2)
            #expect(split.0.finished)
        }
    }

    @Test func oversizeIsCountedNotStored() {
        let body = String(repeating: "x", count: 100) + "\r\n.\r\n"
        let (d, out, _) = run(body, max: 10)
        #expect(d.finished)
        #expect(d.overSize)
        #expect(out.utf8.count == 10)
        #expect(d.size == 102)
    }

    @Test func longLines() {
        let ok = run(String(repeating: "x", count: 998) + "\r\n.\r\n").0
        #expect(!ok.longLine)
        let bad = run(String(repeating: "x", count: 999) + "\r\n.\r\n").0
        #expect(bad.longLine)
    }
}

/// Deterministic random numbers for split tests.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

struct HeaderPeekTests {
    @Test func findsFoldedFieldsAfterTraceHeaders() {
        let msg = Array("Return-Path: <a@b>\r\nReceived: from x\r\n\tby y; Sun, 29 Nov 2026 06:48:07 +0000\r\nSubject: Hello\r\n world\r\nFrom: a@b\r\n\r\nSubject: body\r\n".utf8)
        #expect(HeaderPeek.subject(in: msg) == "Hello world")
        #expect(HeaderPeek.field("FROM", in: msg) == "a@b")
        #expect(HeaderPeek.field("to", in: msg) == nil)
    }
}
