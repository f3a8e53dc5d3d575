import Foundation

/// Streams a stored message as the body of a RETR or TOP response (RFC 1939 §7 RETR, §7 TOP).
///
/// The edge reads the message file in chunks, passes each to `encode(_:into:)`, writes what comes
/// back, and writes `finish()` at the end. Output is CRLF-normalised (bare LF becomes CRLF),
/// byte-stuffed and closed by the terminating ".". For TOP the encoder passes the header, the
/// blank line and the first `topLines` body lines, then reports `isComplete` so the edge can stop
/// reading. A bare CR inside a line is passed through unchanged.
///
/// The work is per line, not per octet: `memchr` finds the next LF and the line is copied whole,
/// so a message costs a scan and a copy whatever its line endings.
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

    /// The most octets `encode(_:into:)` writes for `count` octets of input: every octet may
    /// double (a bare LF becomes CRLF, a "." at the start of a line is stuffed) and a CR held back
    /// from the previous chunk may come first.
    public static func maximumEncodedCount(_ count: Int) -> Int { 2 * count + 1 }

    /// The most octets `finish()` returns: a held-back CR, the CRLF closing the last line, ".\r\n".
    public static let maximumFinishCount = 6

    /// Encodes `input` into `output`, which holds at least `maximumEncodedCount(input.count)`
    /// octets; returns how many were written.
    public mutating func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Int {
        precondition(output.count >= Self.maximumEncodedCount(input.count), "POP3MessageEncoder: output too small")
        guard !isComplete, !finished, let base = input.baseAddress, let out = output.baseAddress, !input.isEmpty else { return 0 }
        let end = input.count
        var written = 0
        var position = 0
        if pendingCR {
            pendingCR = false
            if input[0] == 0x0A {
                endLine(out, &written)
                position = 1
            } else {
                out.storeBytes(of: 0x0D, toByteOffset: written, as: UInt8.self)   // bare CR: content
                written += 1
                atLineStart = false; lineIsEmpty = false
            }
        }
        while position < end, !isComplete {
            let found = memchr(base + position, 0x0A, end - position)
            let lineEnd = found.map { UnsafeRawPointer($0) - base } ?? end
            var contentEnd = lineEnd
            if contentEnd > position, input[contentEnd - 1] == 0x0D {
                // CR before LF ends the line; a CR at the end of the chunk may still be one.
                contentEnd -= 1
                if found == nil { pendingCR = true }
            }
            if contentEnd > position {
                if atLineStart, input[position] == UInt8(ascii: ".") {
                    out.storeBytes(of: UInt8(ascii: "."), toByteOffset: written, as: UInt8.self)
                    written += 1
                }
                (out + written).copyMemory(from: base + position, byteCount: contentEnd - position)
                written += contentEnd - position
                atLineStart = false; lineIsEmpty = false
            }
            guard found != nil else { break }
            endLine(out, &written)
            position = lineEnd + 1
        }
        return written
    }

    public mutating func encode(_ chunk: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.maximumEncodedCount(chunk.count)) { buffer, count in
            count = chunk.withUnsafeBytes { encode($0, into: UnsafeMutableRawBufferPointer(buffer)) }
        }
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

    private mutating func endLine(_ out: UnsafeMutableRawPointer, _ written: inout Int) {
        out.storeBytes(of: 0x0D, toByteOffset: written, as: UInt8.self)
        out.storeBytes(of: 0x0A, toByteOffset: written + 1, as: UInt8.self)
        written += 2
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
