import FacteurTestSupport
import Testing
@testable import FacteurCollect

@Suite struct IMAPResponseFramerTests {
    typealias Part = IMAPResponseFramer.Part

    func frames(_ chunks: [[UInt8]], line: Int = 200, literal: Int = 100) -> [Result<[Part], IMAPResponseFramer.FramingError>] {
        var framer = IMAPResponseFramer(maximumLineLength: line, maximumLiteral: literal)
        var out: [Result<[Part], IMAPResponseFramer.FramingError>] = []
        for chunk in chunks {
            framer.append(chunk)
            while let frame = framer.next() {
                out.append(frame)
                if case .failure = frame { return out }
            }
        }
        return out
    }

    static let fetch = "* 1 FETCH (UID 7 BODY[] {12}\r\nHi\r\n{3}\r\nx\r\n INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")\r\nC3 OK done\r\n"

    @Test func literalWithLineEndsAndBracesInside() {
        let expected: [Result<[Part], IMAPResponseFramer.FramingError>] = [
            .success([.text("* 1 FETCH (UID 7 BODY[] {12}".bytes), .literal("Hi\r\n{3}\r\nx\r\n".bytes),
                      .text(" INTERNALDATE \"17-Jul-1996 02:44:25 -0700\")".bytes)]),
            .success([.text("C3 OK done".bytes)]),
        ]
        #expect(frames([Self.fetch.bytes]) == expected)
        #expect(frames(Self.fetch.bytes.map { [$0] }) == expected)
        var random = SeededRandom(seed: 3)
        for _ in 0..<100 { #expect(frames(randomSplits(Self.fetch.bytes, using: &random)) == expected) }
    }

    @Test func incompleteLiteralReturnsNothing() {
        #expect(frames(["* 1 FETCH (BODY[] {10}\r\nabc".bytes]).isEmpty)
    }

    @Test func limits() {
        #expect(frames(["* 1 FETCH (BODY[] {101}\r\n".bytes]) == [.failure(.literalTooLarge(101))])
        #expect(frames([(String(repeating: "x", count: 30) + "\r\n").bytes], line: 20) == [.failure(.lineTooLong)])
    }

    @Test(arguments: [("a {5}", 5), ("a {5+}", 5), ("{0}", 0), ("a {}", nil), ("a {x}", nil), ("a {5} ", nil), ("no", nil)] as [(String, Int?)])
    func literalAnnouncement(line: String, expected: Int?) {
        #expect(IMAPResponseFramer.literalAnnouncement(line.bytes) == expected)
    }
}
