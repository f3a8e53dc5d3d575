/// Splits a byte stream into lines (framing before grammar).
///
/// A line ends at LF; a CR just before the LF is removed too, so both CRLF (RFC 1939 §3) and the
/// bare LF some clients send are accepted. `next()` returns nil while a line is incomplete and
/// consumes nothing, so input may arrive in any split. A line longer than the limit is reported
/// once as `.overflow` and the rest of it, up to its LF, is discarded: memory stays bounded.
///
/// `nextBytes(count:)` reads raw octets instead of a line (IMAP literals).
public struct LineFramer: Sendable {
    public enum Frame: Sendable, Equatable {
        /// One line without its CRLF / LF.
        case line([UInt8])
        /// A line exceeded `maximumLineLength`; it is being discarded.
        case overflow
    }

    public let maximumLineLength: Int
    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for LF resumes, so bytes are scanned once however the input is split.
    private var scanned = 0
    private var discarding = false

    public init(maximumLineLength: Int) {
        self.maximumLineLength = max(1, maximumLineLength)
    }

    /// Octets buffered and not yet returned.
    public var bufferedCount: Int { buffer.count - start }

    public mutating func append(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    public mutating func next() -> Frame? {
        while true {
            var index = max(scanned, start)
            while index < buffer.count, buffer[index] != 0x0A { index += 1 }
            if index == buffer.count {
                scanned = index
                // No LF yet. +1 leaves room for the CR of a CRLF that is split between reads.
                if buffer.count - start > maximumLineLength + 1 {
                    let wasDiscarding = discarding
                    discarding = true
                    start = buffer.count
                    compact()
                    if !wasDiscarding { return .overflow }
                }
                return nil
            }
            var end = index
            if end > start, buffer[end - 1] == 0x0D { end -= 1 }
            let line = Array(buffer[start..<end])
            start = index + 1
            scanned = start
            compact()
            if discarding {
                discarding = false
                continue
            }
            if line.count > maximumLineLength { return .overflow }
            return .line(line)
        }
    }

    /// Takes exactly `count` raw octets if they are buffered, else returns nil and consumes nothing.
    public mutating func nextBytes(count: Int) -> [UInt8]? {
        guard count >= 0, buffer.count - start >= count else { return nil }
        let bytes = Array(buffer[start..<(start + count)])
        start += count
        scanned = start
        compact()
        return bytes
    }

    /// Removes and returns everything buffered. After STLS the edge discards plaintext that arrived
    /// behind the command (RFC 2595 §4, command injection).
    public mutating func drain() -> [UInt8] {
        let rest = Array(buffer[start...])
        buffer.removeAll(keepingCapacity: false)
        start = 0; scanned = 0; discarding = false
        return rest
    }

    private mutating func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0; scanned = 0
        } else if start > 4096, start * 2 > buffer.count {
            buffer.removeFirst(start)
            scanned -= start
            start = 0
        }
    }
}
