/// Decodes the DATA stream (RFC 5321 §4.1.1.4, §4.5.2): removes dot-stuffing and finds the end of
/// data, which is only ever `CRLF . CRLF`. A `.` line ended by a bare LF, or a `.` line after a
/// bare LF, is data (and reported as an SMTP smuggling attempt), never the end.
///
/// Bytes are pushed in arbitrary chunks; the decoder keeps its state between them. It appends the
/// message bytes to `out` until `maxSize` is exceeded and from then on only counts (the stream is
/// read and thrown away, never buffered: the 552 comes after the terminator).
public struct SMTPDataDecoder: Sendable, Equatable {
    enum State: Sendable, Equatable { case lineStart, dot, dotCR, inLine, cr }

    public let maxSize: Int
    /// Message bytes after unstuffing, counted even past `maxSize`.
    public private(set) var size = 0
    public private(set) var overSize = false
    /// A line longer than 998 octets (RFC 5322 §2.1.1) was seen.
    public private(set) var longLine = false
    /// A `.` line next to a bare LF was seen: the shape of SMTP smuggling.
    public private(set) var smuggling = false
    public private(set) var finished = false

    private var state: State = .lineStart
    /// The current line began after a bare LF rather than CRLF.
    private var afterBareLF = false
    private var lineLength = 0

    public init(maxSize: Int) { self.maxSize = maxSize }

    /// Consumes bytes from `input` until the end of data or the end of input.
    /// Returns how many bytes were consumed (fewer than `input.count` only when finished).
    public mutating func decode(_ input: ArraySlice<UInt8>, into out: inout [UInt8]) -> Int {
        var consumed = 0
        for b in input {
            consumed += 1
            step(b, &out)
            if finished { break }
        }
        return consumed
    }

    @inline(__always)
    private mutating func emit(_ b: UInt8, _ out: inout [UInt8]) {
        size += 1
        if size > maxSize { overSize = true; return }
        out.append(b)
    }

    private mutating func inLine(_ b: UInt8, _ out: inout [UInt8]) {
        switch b {
        case 13:
            state = .cr
        case 10:
            // Bare LF: kept as data, the next line is marked as starting after a bare LF.
            emit(10, &out)
            state = .lineStart; afterBareLF = true; lineLength = 0
        default:
            emit(b, &out)
            lineLength += 1
            if lineLength > SMTPLimits.textLineLength { longLine = true }
            state = .inLine
        }
    }

    private mutating func step(_ b: UInt8, _ out: inout [UInt8]) {
        switch state {
        case .lineStart:
            if b == 46 { state = .dot } else { inLine(b, &out) }
        case .dot:
            if b == 13 {
                state = .dotCR
            } else if b == 10 {
                smuggling = true // ".\n": a lone dot ended by bare LF
                emit(46, &out); emit(10, &out)
                state = .lineStart; afterBareLF = true; lineLength = 0
            } else {
                // A stuffed dot: the leading "." is dropped (RFC 5321 §4.5.2).
                lineLength = 0
                inLine(b, &out)
            }
        case .dotCR:
            if b == 10 {
                if afterBareLF {
                    smuggling = true // "\n.\r\n"
                    emit(46, &out); emit(13, &out); emit(10, &out)
                    state = .lineStart; afterBareLF = false; lineLength = 0
                } else {
                    finished = true
                }
            } else {
                emit(13, &out)
                state = .cr
                afterBareLF = false
                stepCR(b, &out)
            }
        case .inLine:
            inLine(b, &out)
        case .cr:
            stepCR(b, &out)
        }
    }

    private mutating func stepCR(_ b: UInt8, _ out: inout [UInt8]) {
        switch b {
        case 10:
            emit(13, &out); emit(10, &out)
            state = .lineStart; afterBareLF = false; lineLength = 0
        case 13:
            emit(13, &out) // bare CR, stay in .cr
            lineLength += 1
        default:
            emit(13, &out)
            lineLength += 1
            inLine(b, &out)
        }
    }
}

/// Tracks line lengths of a BDAT stream, which has no dot-stuffing (RFC 3030).
public struct LineLengthTracker: Sendable, Equatable {
    private var lineLength = 0
    public private(set) var longLine = false
    public init() {}
    public mutating func scan(_ bytes: ArraySlice<UInt8>) {
        for b in bytes {
            if b == 10 { lineLength = 0 }
            else if b != 13 {
                lineLength += 1
                if lineLength > SMTPLimits.textLineLength { longLine = true }
            }
        }
    }
}
