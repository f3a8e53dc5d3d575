/// Streams a stored message as the body of a RETR or TOP response (RFC 1939 §7 RETR, §7 TOP).
///
/// The edge reads the message file in chunks, passes each to `encode(_:)`, writes what comes back,
/// and writes `finish()` at the end. Output is CRLF-normalised (bare LF becomes CRLF), byte-stuffed
/// and closed by the terminating ".". For TOP the encoder passes the header, the blank line and
/// the first `topLines` body lines, then reports `isComplete` so the edge can stop reading.
/// A bare CR inside a line is passed through unchanged.
public struct POP3MessageEncoder: Sendable {
    private var atLineStart = true
    private var lineIsEmpty = true
    private var pendingCR = false
    private var inHeader = true
    private var bodyLinesLeft: Int?
    private var finished = false

    /// - Parameter topLines: nil for RETR (whole message); n for `TOP msg n`.
    public init(topLines: Int? = nil) {
        bodyLinesLeft = topLines.map { max(0, $0) }
    }

    /// True once TOP has emitted every line it needs; further input is ignored.
    public private(set) var isComplete = false

    public mutating func encode(_ chunk: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(chunk.count + chunk.count / 32 + 8)
        for byte in chunk {
            if isComplete || finished { break }
            if pendingCR {
                pendingCR = false
                if byte == 0x0A { endLine(&out); continue }
                out.append(0x0D)   // bare CR: content
                atLineStart = false; lineIsEmpty = false
            }
            switch byte {
            case 0x0D:
                pendingCR = true
            case 0x0A:
                endLine(&out)
            default:
                if atLineStart, byte == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
                out.append(byte)
                atLineStart = false; lineIsEmpty = false
            }
        }
        return out
    }

    /// Closes an unterminated last line and appends the terminating ".".
    public mutating func finish() -> [UInt8] {
        guard !finished else { return [] }
        finished = true
        var out: [UInt8] = []
        if !isComplete {
            if pendingCR {
                pendingCR = false
                out.append(0x0D); atLineStart = false
            }
            if !atLineStart { out.append(contentsOf: [0x0D, 0x0A]) }
        }
        out.append(contentsOf: POP3DotStuffing.terminator)
        return out
    }

    /// Encodes a whole message at once.
    public static func encode(message: [UInt8], topLines: Int? = nil) -> [UInt8] {
        var encoder = POP3MessageEncoder(topLines: topLines)
        return encoder.encode(message) + encoder.finish()
    }

    private mutating func endLine(_ out: inout [UInt8]) {
        out.append(contentsOf: [0x0D, 0x0A])
        let wasEmpty = lineIsEmpty
        atLineStart = true; lineIsEmpty = true
        guard let left = bodyLinesLeft else { return }
        if inHeader {
            if wasEmpty {
                inHeader = false
                if left == 0 { isComplete = true }
            }
        } else {
            bodyLinesLeft = left - 1
            if left - 1 <= 0 { isComplete = true }
        }
    }
}
