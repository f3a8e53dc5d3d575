import FacteurTestSupport
import Testing
@testable import FacteurPOP3Core

@Suite struct LineFramerTests {
    func frames(_ input: [[UInt8]], limit: Int = 16) -> [LineFramer.Frame] {
        var framer = LineFramer(maximumLineLength: limit)
        var out: [LineFramer.Frame] = []
        for chunk in input {
            framer.append(chunk)
            while let frame = framer.next() { out.append(frame) }
        }
        return out
    }

    @Test(arguments: [
        // success: CRLF, bare LF, empty line
        ("A\r\nBB\nC\r\n", [LineFramer.Frame.line("A".bytes), .line("BB".bytes), .line("C".bytes)]),
        ("\r\n", [.line([])]),
        // incomplete: nothing returned, nothing lost
        ("partial", []),
        ("done\r\npart", [.line("done".bytes)]),
        // failure: overflow reported once, the rest of the line discarded, framing resumes
        ("0123456789abcdefXYZ\r\nok\r\n", [.overflow, .line("ok".bytes)]),
        ("0123456789abcdef\r\n", [.line("0123456789abcdef".bytes)]),
    ])
    func fixtures(input: String, expected: [LineFramer.Frame]) {
        #expect(frames([input.bytes]) == expected)
        // Byte by byte gives the same frames.
        #expect(frames(input.bytes.map { [$0] }) == expected)
    }

    @Test func overflowWithoutLineEndIsBoundedAndReportedOnce() {
        var framer = LineFramer(maximumLineLength: 8)
        var overflows = 0
        for _ in 0..<100 {
            framer.append(Array(repeating: UInt8(ascii: "x"), count: 5))
            while let frame = framer.next() { if frame == .overflow { overflows += 1 } }
            #expect(framer.bufferedCount <= 10)
        }
        framer.append("\r\nnext\r\n".bytes)
        #expect(framer.next() == .line("next".bytes))
        #expect(overflows == 1)
    }

    @Test func randomSplitsGiveTheSameFrames() {
        let input = (0..<50).map { "line \($0) " + String(repeating: "z", count: $0 % 9) + "\r\n" }.joined().bytes
        let expected = frames([input], limit: 64)
        var random = SeededRandom(seed: 7)
        for _ in 0..<50 {
            #expect(frames(randomSplits(input, using: &random), limit: 64) == expected)
        }
        #expect(expected.count == 50)
    }

    @Test func nextBytesReadsRawOctetsIncludingLineEnds() {
        var framer = LineFramer(maximumLineLength: 100)
        framer.append("{5}\r\na\r\nb".bytes)
        #expect(framer.next() == .line("{5}".bytes))
        #expect(framer.nextBytes(count: 6) == nil)
        framer.append("c)\r\n".bytes)
        #expect(framer.nextBytes(count: 6) == "a\r\nbc)".bytes)
        #expect(framer.next() == .line([]))
    }

    @Test func drainReturnsBufferedPlaintext() {
        var framer = LineFramer(maximumLineLength: 100)
        framer.append("STLS\r\nUSER evil\r\n".bytes)
        #expect(framer.next() == .line("STLS".bytes))
        #expect(framer.drain() == "USER evil\r\n".bytes)
        #expect(framer.next() == nil)
    }
}
