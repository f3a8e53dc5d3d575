import Testing
@testable import FacteurIMAPCore
import FacteurMIME

/// Garbage in must give errors, never crashes or hangs (a small deterministic fuzz).
struct RobustnessTests {
    @Test(arguments: [7, 99, 2024] as [UInt64])
    func randomCommandsNeverCrash(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        let alphabet = Array("a1 UID FETCH SEARCH BODY[]<>.()\"\\{}+*%:,0123456789 \r\nNOT OR HEADER".utf8) + [0, 0xFF]
        for _ in 0..<2000 {
            let length = Int.random(in: 0...60, using: &generator)
            var bytes = (0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] }
            bytes += [13, 10]
            _ = try? IMAPCommandParser.parse(bytes)
            var framer = IMAPFramer(limits: IMAPLimits(maxLineLength: 40, maxInlineLiteralSize: 20))
            framer.feed(bytes)
            for _ in 0..<100 {
                guard let frame = try? framer.next(), frame != .incomplete else { break }
            }
        }
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func mutatedMessagesNeverCrash(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let names = try Fixtures.allMIMENames()
        let specs: [SectionSpec] = [.whole, SectionSpec(text: .header), SectionSpec(part: [1]), SectionSpec(part: [1, 2], text: .mime),
                                    SectionSpec(part: [2, 1], text: .text), SectionSpec(part: [1], text: .headerFields(["To"]))]
        for name in names {
            var bytes = try Fixtures.mime(name)
            for _ in 0..<20 where !bytes.isEmpty {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[index] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes.remove(at: index)
                default: bytes.insert(contentsOf: Array("\r\n--".utf8), at: index)
                }
            }
            let message = MIMEMessage(bytes)
            _ = written { $0.body(message.bodyStructure, extensions: true) }
            _ = written { $0.envelope(message.envelope) }
            _ = message.bodyText
            for spec in specs { _ = message.section(spec) }
        }
    }
}
