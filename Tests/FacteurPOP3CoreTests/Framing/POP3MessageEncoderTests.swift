import Testing
@testable import FacteurPOP3Core

@Suite struct POP3MessageEncoderTests {
    static let message = "From: a@example.com\nSubject: hi\n\nline 1\n.line 2\nline 3\n..line 4\n"

    @Test(arguments: [
        (nil, "From: a@example.com\r\nSubject: hi\r\n\r\nline 1\r\n..line 2\r\nline 3\r\n...line 4\r\n.\r\n"),
        (0, "From: a@example.com\r\nSubject: hi\r\n\r\n.\r\n"),
        (2, "From: a@example.com\r\nSubject: hi\r\n\r\nline 1\r\n..line 2\r\n.\r\n"),
        (100, "From: a@example.com\r\nSubject: hi\r\n\r\nline 1\r\n..line 2\r\nline 3\r\n...line 4\r\n.\r\n"),
    ] as [(Int?, String)])
    func retrAndTop(topLines: Int?, expected: String) {
        #expect(POP3MessageEncoder.encode(message: Self.message.bytes, topLines: topLines).text == expected)
    }

    @Test func chunkedEncodingEqualsWholeEncoding() {
        let input = "Subject: s\r\n\r\n.a\r\nb\rc\n.\n\r\n.".bytes
        for top in [nil, 0, 1, 3] as [Int?] {
            let whole = POP3MessageEncoder.encode(message: input, topLines: top)
            var random = SeededRandom(seed: 42)
            for _ in 0..<30 {
                var encoder = POP3MessageEncoder(topLines: top)
                var out: [UInt8] = []
                for chunk in randomSplits(input, using: &random) { out += encoder.encode(chunk) }
                out += encoder.finish()
                #expect(out == whole)
            }
        }
    }

    @Test func crlfNormalisationAndBareCR() {
        #expect(POP3MessageEncoder.encode(message: "a\r\nb\nc\rd".bytes).text == "a\r\nb\r\nc\rd\r\n.\r\n")
        #expect(POP3MessageEncoder.encode(message: "trailing CR\r".bytes).text == "trailing CR\r\r\n.\r\n")
        #expect(POP3MessageEncoder.encode(message: []).text == ".\r\n")
    }

    @Test func topReportsCompletionSoTheEdgeStopsReading() {
        var encoder = POP3MessageEncoder(topLines: 1)
        _ = encoder.encode("H: v\n\nfirst\n".bytes)
        #expect(encoder.isComplete)
        #expect(encoder.encode("second\n".bytes).isEmpty)
        #expect(encoder.finish().text == ".\r\n")
        #expect(encoder.finish().isEmpty)
    }

    @Test func topOfMessageWithoutBodyReturnsTheHeader() {
        #expect(POP3MessageEncoder.encode(message: "H: v\n".bytes, topLines: 5).text == "H: v\r\n.\r\n")
    }

    /// The decoder in the client reverses the encoder exactly (round trip).
    @Test func roundTripThroughClientDecoding() {
        let original = "Subject: t\r\n\r\n.\r\n..\r\n.x\r\nend\r\n".bytes
        let encoded = POP3MessageEncoder.encode(message: original)
        var framer = LineFramer(maximumLineLength: 1000)
        framer.append(encoded)
        var decoded: [UInt8] = []
        var ended = false
        while case .line(let line)? = framer.next() {
            switch POP3DotStuffing.decode(line: line) {
            case .end: ended = true
            case .content(let bytes): decoded += bytes + [0x0D, 0x0A]
            }
        }
        #expect(ended)
        #expect(decoded == original)
    }
}
