import FacteurTestSupport
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

    /// The line-at-a-time encoder gives what the octet-at-a-time definition below gives, for
    /// random messages made of the octets that matter, split at random, for RETR and TOP.
    @Test func agreesWithTheOctetAtATimeDefinition() {
        var random = SeededRandom(seed: 7)
        let alphabet: [UInt8] = [0x0D, 0x0A, UInt8(ascii: "."), UInt8(ascii: "a"), UInt8(ascii: "b")]
        for round in 0..<2000 {
            let length = Int(random.next() % 64)
            let input = (0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }
            let top: Int? = round % 3 == 0 ? nil : Int(random.next() % 4)
            let expected = ReferenceEncoder.encode(input, topLines: top)
            #expect(POP3MessageEncoder.encode(message: input, topLines: top) == expected, "\(input) top \(top ?? -1)")
            var encoder = POP3MessageEncoder(topLines: top)
            var out: [UInt8] = []
            for chunk in randomSplits(input, using: &random) { out += encoder.encode(chunk) }
            out += encoder.finish()
            #expect(out == expected, "split \(input) top \(top ?? -1)")
        }
    }

    /// The worst case (every octet doubled, a held-back CR first) fits `maximumEncodedCount`.
    @Test func worstCaseFitsTheAdvertisedBound() {
        var encoder = POP3MessageEncoder()
        _ = encoder.encode("x\r".bytes)
        let worst = Array(repeating: "\n.".bytes, count: 100).flatMap { $0 }
        let out = encoder.encode(worst)
        #expect(out.count == 2 * worst.count)
        #expect(out.count <= POP3MessageEncoder.maximumEncodedCount(worst.count))
        #expect(encoder.finish().count <= POP3MessageEncoder.maximumFinishCount)
    }
}

/// RFC 1939 §3 and §7 one octet at a time: the definition the encoder is checked against.
private struct ReferenceEncoder {
    static func encode(_ message: [UInt8], topLines: Int?) -> [UInt8] {
        var out: [UInt8] = []
        var atLineStart = true, lineIsEmpty = true, pendingCR = false, inHeader = true, complete = false
        var left = topLines.map { max(0, $0) }
        func endLine() {
            out += [0x0D, 0x0A]
            let wasEmpty = lineIsEmpty
            atLineStart = true; lineIsEmpty = true
            guard let l = left else { return }
            if inHeader {
                if wasEmpty { inHeader = false; if l == 0 { complete = true } }
            } else {
                left = l - 1
                if l - 1 <= 0 { complete = true }
            }
        }
        for byte in message {
            if complete { break }
            if pendingCR {
                pendingCR = false
                if byte == 0x0A { endLine(); continue }
                out.append(0x0D); atLineStart = false; lineIsEmpty = false
            }
            switch byte {
            case 0x0D: pendingCR = true
            case 0x0A: endLine()
            default:
                if atLineStart, byte == UInt8(ascii: ".") { out.append(byte) }
                out.append(byte); atLineStart = false; lineIsEmpty = false
            }
        }
        if !complete {
            if pendingCR { out.append(0x0D); atLineStart = false }
            if !atLineStart { out += [0x0D, 0x0A] }
        }
        return out + POP3DotStuffing.terminator
    }
}
