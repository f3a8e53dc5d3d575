/// Splits the client's byte stream into command frames (RFC 3501 §2.2, §4.3, §7.5; RFC 7888).
///
/// A command is one or more lines; a line ending in `{n}` (synchronising) or `{n+}`
/// (non-synchronising, LITERAL+) is followed by exactly n octets of literal data, after which
/// the command continues. The framer only finds frame boundaries: it never interprets the
/// command, except to recognise APPEND, whose large literal is streamed to the caller
/// instead of being buffered.
///
/// Leniency: a bare LF is accepted as a line end. Some clients and every hand-driven session
/// (`nc`, `telnet` on Unix) send LF alone; outside literals an IMAP command can never contain
/// a LF for any other purpose, so accepting it cannot change the meaning of a valid stream.
/// A CR not followed by LF stays part of the line (the grammar rejects it).
public struct IMAPFramer: Sendable {
    public let limits: IMAPLimits

    private enum Mode: Sendable {
        case line
        case inlineLiteral(remaining: Int)
        case streamingLiteral(remaining: Int)
    }

    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// Where the search for the next LF resumes (avoids rescanning a long partial line).
    private var scanIndex = 0
    private var mode: Mode = .line
    /// The current command's bytes so far.
    private var pending: [UInt8] = []
    private var literalsInCommand = 0
    private var streamedInCommand = false
    private var isAppendCommand: Bool?

    public init(limits: IMAPLimits = .default) {
        self.limits = limits
    }

    /// Bytes received but not yet framed (for tests and back-pressure).
    public var bufferedByteCount: Int { buffer.count - readIndex + pending.count }

    /// Adds bytes read from the connection.
    public mutating func feed<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        if readIndex > 4096 && readIndex * 2 > buffer.count {
            buffer.removeFirst(readIndex)
            scanIndex -= readIndex
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Forgets every buffered byte and any partial command. Call it right after the TLS
    /// handshake that follows STARTTLS: bytes a client pipelined in plaintext must not be
    /// executed as if they had been protected (RFC 3501 §6.2.1, RFC 7817 §5).
    public mutating func reset() {
        buffer = []
        readIndex = 0
        scanIndex = 0
        resetCommand()
    }

    /// Hands back the bytes received but not framed yet, and forgets them. After COMPRESS
    /// (RFC 4978) the octets a client pipelined behind the command are compressed: the caller
    /// inflates them and feeds the result back.
    public mutating func takeUnframed() -> [UInt8] {
        let rest = Array(buffer[readIndex...])
        reset()
        return rest
    }

    /// The caller refused a streamed synchronising literal (it sent a tagged NO instead of a
    /// continuation): the client will not send the literal, so forget the command.
    public mutating func abandonStreamedLiteral() {
        if case .streamingLiteral = mode { resetCommand() }
    }

    /// Returns the next frame event, or `.incomplete` when more bytes are needed.
    public mutating func next() throws(IMAPFramingError) -> IMAPFrame {
        while true {
            switch mode {
            case .line:
                guard let line = try takeLine() else { return .incomplete }
                if let event = try handleLine(line) { return event }
            case .inlineLiteral(let remaining):
                guard buffer.count - readIndex >= remaining else { return .incomplete }
                pending.append(contentsOf: buffer[readIndex..<(readIndex + remaining)])
                consume(remaining)
                mode = .line
            case .streamingLiteral(let remaining):
                if remaining == 0 {
                    mode = .line
                    return .literalEnd
                }
                let available = min(buffer.count - readIndex, remaining, limits.literalChunkSize)
                guard available > 0 else { return .incomplete }
                let chunk = Array(buffer[readIndex..<(readIndex + available)])
                consume(available)
                mode = .streamingLiteral(remaining: remaining - available)
                return .literalChunk(chunk)
            }
        }
    }

    // MARK: - Lines

    /// Takes one complete line (terminator included) off the buffer.
    private mutating func takeLine() throws(IMAPFramingError) -> ArraySlice<UInt8>? {
        var index = max(scanIndex, readIndex)
        while index < buffer.count {
            if buffer[index] == UInt8(ascii: "\n") {
                let line = buffer[readIndex...index]
                if line.count > limits.maxLineLength { throw fatal(.lineTooLong(limit: limits.maxLineLength)) }
                consume(line.count)
                return line
            }
            index += 1
        }
        scanIndex = index
        if buffer.count - readIndex > limits.maxLineLength {
            throw fatal(.lineTooLong(limit: limits.maxLineLength))
        }
        return nil
    }

    private mutating func handleLine(_ line: ArraySlice<UInt8>) throws(IMAPFramingError) -> IMAPFrame? {
        guard let marker = Self.literalMarker(line) else {
            pending.append(contentsOf: line)
            if pending.count > limits.maxCommandSize {
                throw fatal(.commandTooLarge(limit: limits.maxCommandSize))
            }
            let command = pending
            let wasStreamed = streamedInCommand
            resetCommand()
            return wasStreamed ? .commandTail(command) : .command(command)
        }
        pending.append(contentsOf: line)
        literalsInCommand += 1
        let synchronizing = !marker.nonSynchronizing
        if literalsInCommand > limits.maxLiteralsPerCommand {
            throw refuse(.tooManyLiterals(limit: limits.maxLiteralsPerCommand), synchronizing: synchronizing)
        }
        if isAppendCommand == nil { isAppendCommand = IMAPGrammar.isAppendCommand(pending) }
        let isAppend = isAppendCommand ?? false
        let literalLimit = isAppend ? limits.maxAppendLiteralSize : limits.maxInlineLiteralSize
        guard let size = marker.size, size <= literalLimit else {
            throw refuse(.literalTooLarge(size: marker.size, limit: literalLimit), synchronizing: synchronizing)
        }
        if isAppend && size > limits.streamingLiteralThreshold {
            let prefix = pending
            pending = []
            streamedInCommand = true
            mode = .streamingLiteral(remaining: size)
            return .literalStart(prefix: prefix, size: size, synchronizing: synchronizing)
        }
        if pending.count + size > limits.maxCommandSize {
            throw refuse(.commandTooLarge(limit: limits.maxCommandSize), synchronizing: synchronizing)
        }
        mode = .inlineLiteral(remaining: size)
        return synchronizing ? .continuationRequest : nil
    }

    /// `literal = "{" number ["+"] "}" CRLF` at the very end of a line (RFC 3501 §9, RFC 7888 §3).
    /// `size` is nil when the number overflows.
    static func literalMarker(_ line: ArraySlice<UInt8>) -> (size: Int?, nonSynchronizing: Bool)? {
        var end = line.endIndex
        guard end > line.startIndex, line[end - 1] == UInt8(ascii: "\n") else { return nil }
        end -= 1
        if end > line.startIndex, line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        guard end > line.startIndex, line[end - 1] == UInt8(ascii: "}") else { return nil }
        end -= 1
        var nonSync = false
        if end > line.startIndex, line[end - 1] == UInt8(ascii: "+") { nonSync = true; end -= 1 }
        var start = end
        while start > line.startIndex, IMAPGrammar.isDigit(line[start - 1]) { start -= 1 }
        guard start < end, start > line.startIndex, line[start - 1] == UInt8(ascii: "{") else { return nil }
        var size: Int? = 0
        for byte in line[start..<end] {
            guard let current = size else { break }
            let next = current.multipliedReportingOverflow(by: 10)
            let sum = next.partialValue.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            size = (next.overflow || sum.overflow || sum.partialValue > Int(UInt32.max)) ? nil : sum.partialValue
        }
        return (size, nonSync)
    }

    // MARK: - Helpers

    private mutating func consume(_ count: Int) {
        readIndex += count
        if scanIndex < readIndex { scanIndex = readIndex }
    }

    private mutating func resetCommand() {
        pending = []
        literalsInCommand = 0
        streamedInCommand = false
        isAppendCommand = nil
        mode = .line
    }

    private func fatal(_ kind: IMAPFramingError.Kind) -> IMAPFramingError {
        IMAPFramingError(kind: kind, isFatal: true, partialCommand: Array(pending.prefix(256)))
    }

    /// A refused synchronising literal was never sent, so only this command is lost; a refused
    /// non-synchronising literal is on its way and the stream cannot be trusted any more.
    private mutating func refuse(_ kind: IMAPFramingError.Kind, synchronizing: Bool) -> IMAPFramingError {
        let error = IMAPFramingError(kind: kind, isFatal: !synchronizing, partialCommand: Array(pending.prefix(256)))
        resetCommand()
        return error
    }
}
