import Testing
@testable import FacteurIMAPCore

/// Feeds `input` at once and collects events until `.incomplete` or an error.
private func frames(_ input: String, limits: IMAPLimits = .default) -> ([IMAPFrame], IMAPFramingError?) {
    var framer = IMAPFramer(limits: limits)
    framer.feed(Array(input.utf8))
    var events: [IMAPFrame] = []
    while true {
        do {
            let event = try framer.next()
            events.append(event)
            if event == .incomplete { return (events, nil) }
        } catch {
            return (events, error)
        }
    }
}

struct IMAPFramerTests {
    struct Fixture: Sendable, CustomTestStringConvertible {
        let input: String
        let expected: [IMAPFrame]
        var testDescription: String { input.debugDescription }
    }

    static let fixtures: [Fixture] = [
        // success
        Fixture(input: "a1 NOOP\r\n", expected: [.command(Array("a1 NOOP\r\n")), .incomplete]),
        Fixture(input: "a1 NOOP\r\na2 CAPABILITY\r\n",
                expected: [.command(Array("a1 NOOP\r\n")), .command(Array("a2 CAPABILITY\r\n")), .incomplete]),
        // bare LF leniency
        Fixture(input: "a1 NOOP\n", expected: [.command(Array("a1 NOOP\n")), .incomplete]),
        // synchronising literal: continuation first, then the whole command
        Fixture(input: "a1 LOGIN {5}\r\nalice {6}\r\nsecret\r\n",
                expected: [.continuationRequest, .continuationRequest,
                           .command(Array("a1 LOGIN {5}\r\nalice {6}\r\nsecret\r\n")), .incomplete]),
        // non-synchronising literal (LITERAL+): no continuation
        Fixture(input: "a1 LOGIN {5+}\r\nalice {6+}\r\nsecret\r\n",
                expected: [.command(Array("a1 LOGIN {5+}\r\nalice {6+}\r\nsecret\r\n")), .incomplete]),
        // a literal containing CRLF and braces does not end the command
        Fixture(input: "a1 SEARCH TEXT {7+}\r\n{1}\r\nab\r\n",
                expected: [.command(Array("a1 SEARCH TEXT {7+}\r\n{1}\r\nab\r\n")), .incomplete]),
        // zero-length literal
        Fixture(input: "a1 LOGIN {0+}\r\n x\r\n", expected: [.command(Array("a1 LOGIN {0+}\r\n x\r\n")), .incomplete]),
        // incomplete
        Fixture(input: "a1 NOO", expected: [.incomplete]),
        Fixture(input: "a1 NOOP\r", expected: [.incomplete]),
        Fixture(input: "a1 LOGIN {5}\r\nali", expected: [.continuationRequest, .incomplete]),
        Fixture(input: "a1 LOGIN {5+}\r\nalice", expected: [.incomplete]),
        // "{x}" is not a literal marker: the grammar will reject it
        Fixture(input: "a1 X {x}\r\n", expected: [.command(Array("a1 X {x}\r\n")), .incomplete]),
    ]

    @Test(arguments: fixtures)
    func framesFixture(_ fixture: Fixture) {
        let (events, error) = frames(fixture.input)
        #expect(error == nil)
        #expect(events == fixture.expected)
    }

    @Test func lineTooLongIsFatal() {
        let limits = IMAPLimits(maxLineLength: 16)
        let (_, error) = frames("a1 SEARCH SUBJECT verylongsubject\r\n", limits: limits)
        #expect(error?.kind == .lineTooLong(limit: 16))
        #expect(error?.isFatal == true)
        // Also without a line end: the framer does not wait forever.
        let (_, partial) = frames(String(repeating: "x", count: 17), limits: limits)
        #expect(partial?.kind == .lineTooLong(limit: 16))
    }

    @Test func refusedSynchronisingLiteralOnlyDropsTheCommand() throws {
        var framer = IMAPFramer(limits: IMAPLimits(maxInlineLiteralSize: 10))
        framer.feed(Array("a1 LOGIN {11}\r\n".utf8))
        #expect(throws: IMAPFramingError.self) { _ = try framer.next() }
        framer.feed(Array("a1 LOGIN {11}\r\n".utf8))
        do {
            _ = try framer.next()
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .literalTooLarge(size: 11, limit: 10))
            #expect(!error.isFatal)
            #expect(error.tag == "a1")
        }
        framer.feed(Array("a2 NOOP\r\n".utf8))
        #expect(try framer.next() == .command(Array("a2 NOOP\r\n")))
    }

    @Test func refusedNonSynchronisingLiteralIsFatal() {
        let (_, error) = frames("a1 LOGIN {11+}\r\n", limits: IMAPLimits(maxInlineLiteralSize: 10))
        #expect(error?.isFatal == true)
    }

    @Test func hugeLiteralSizeDoesNotOverflow() {
        let (_, error) = frames("a1 LOGIN {99999999999999999999999}\r\n")
        #expect(error?.kind == .literalTooLarge(size: nil, limit: IMAPLimits.defaultMaxInlineLiteralSize))
    }

    @Test func tooManyLiterals() {
        let limits = IMAPLimits(maxLiteralsPerCommand: 2)
        let (_, error) = frames("a1 X {1+}\r\na {1+}\r\nb {1+}\r\nc\r\n", limits: limits)
        #expect(error?.kind == .tooManyLiterals(limit: 2))
    }

    @Test func appendLiteralAboveThresholdIsStreamed() throws {
        let limits = IMAPLimits(streamingLiteralThreshold: 4, literalChunkSize: 3)
        var framer = IMAPFramer(limits: limits)
        framer.feed(Array("A1 append INBOX (\\Seen) {8}\r\n".utf8))
        #expect(try framer.next() == .literalStart(prefix: Array("A1 append INBOX (\\Seen) {8}\r\n".utf8), size: 8, synchronizing: true))
        #expect(try framer.next() == .incomplete)
        framer.feed(Array("12345678\r\na2 NOOP\r\n".utf8))
        #expect(try framer.next() == .literalChunk(Array("123".utf8)))
        #expect(try framer.next() == .literalChunk(Array("456".utf8)))
        #expect(try framer.next() == .literalChunk(Array("78".utf8)))
        #expect(try framer.next() == .literalEnd)
        #expect(try framer.next() == .commandTail([13, 10]))
        #expect(try framer.next() == .command(Array("a2 NOOP\r\n".utf8)))
        // A small APPEND literal stays inline.
        framer.feed(Array("a3 APPEND INBOX {2+}\r\nhi\r\n".utf8))
        #expect(try framer.next() == .command(Array("a3 APPEND INBOX {2+}\r\nhi\r\n".utf8)))
    }

    @Test func appendLiteralLimitIsSeparate() {
        let limits = IMAPLimits(maxInlineLiteralSize: 4, maxAppendLiteralSize: 100, streamingLiteralThreshold: 1000)
        let (events, error) = frames("a1 APPEND INBOX {50+}\r\n" + String(repeating: "x", count: 50) + "\r\n", limits: limits)
        #expect(error == nil)
        #expect(events.count == 2)
        let (_, tooBig) = frames("a1 APPEND INBOX {101}\r\n", limits: limits)
        #expect(tooBig?.kind == .literalTooLarge(size: 101, limit: 100))
    }

    @Test func abandonedStreamedLiteral() throws {
        var framer = IMAPFramer(limits: IMAPLimits(streamingLiteralThreshold: 0))
        framer.feed(Array("a1 APPEND INBOX {100}\r\n".utf8))
        guard case .literalStart = try framer.next() else { Issue.record("expected literalStart"); return }
        framer.abandonStreamedLiteral()
        framer.feed(Array("a2 NOOP\r\n".utf8))
        #expect(try framer.next() == .command(Array("a2 NOOP\r\n".utf8)))
    }

    /// Stress: any split of the stream gives the same frames as feeding it at once.
    @Test(arguments: [1, 2, 3, 42, 1234] as [UInt64])
    func randomSplitsGiveTheSameFrames(seed: UInt64) throws {
        let stream = Array(("a1 LOGIN {5}\r\nalice {6+}\r\nsecret\r\n"
            + "a2 SELECT INBOX\n"
            + "a3 APPEND INBOX (\\Seen) {20}\r\n0123456789\r\n01234567\r\n"
            + "a4 UID FETCH 1:* (FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])\r\n"
            + "a5 IDLE\r\nDONE\r\n").utf8)
        let limits = IMAPLimits(streamingLiteralThreshold: 10, literalChunkSize: 7)

        func run(_ pieces: [[UInt8]]) throws -> [IMAPFrame] {
            var framer = IMAPFramer(limits: limits)
            var events: [IMAPFrame] = []
            var streamed: [UInt8] = []
            for piece in pieces {
                framer.feed(piece)
                while true {
                    let event = try framer.next()
                    switch event {
                    case .incomplete: break
                    case .literalChunk(let bytes): streamed += bytes; continue
                    default: events.append(event); continue
                    }
                    break
                }
            }
            events.append(.literalChunk(streamed))  // chunking may differ; the content may not
            return events
        }

        let whole = try run([stream])
        var generator = SeededGenerator(seed: seed)
        var pieces: [[UInt8]] = []
        var index = 0
        while index < stream.count {
            let length = Int.random(in: 1...9, using: &generator)
            pieces.append(Array(stream[index..<min(stream.count, index + length)]))
            index += length
        }
        #expect(try run(pieces) == whole)
        #expect(try run(stream.map { [$0] }) == whole)
        #expect(whole.contains(.command(Array("DONE\r\n".utf8))))
        #expect(whole.last == .literalChunk(Array("0123456789\r\n01234567".utf8)))
    }
}

struct IMAPFramerResetTests {
    /// Plaintext pipelined after STARTTLS must not survive the handshake.
    @Test func resetDropsPipelinedBytes() throws {
        var framer = IMAPFramer()
        framer.feed(Array("a STARTTLS\r\nb LOGIN x y\r\nc LOG".utf8))
        #expect(try framer.next() == .command(Array("a STARTTLS\r\n".utf8)))
        framer.reset()
        #expect(framer.bufferedByteCount == 0)
        #expect(try framer.next() == .incomplete)
        framer.feed(Array("d NOOP\r\n".utf8))
        #expect(try framer.next() == .command(Array("d NOOP\r\n".utf8)))
    }
}
