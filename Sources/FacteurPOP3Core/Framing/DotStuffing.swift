/// Byte-stuffing of POP3 multi-line responses (RFC 1939 §3).
///
/// "If any line begins with the termination octet, the line is 'byte-stuffed' by pre-pending the
/// termination octet to that line." The response ends with a line holding a single ".".
public enum POP3DotStuffing {
    public static let terminator: [UInt8] = Array(".\r\n".utf8)

    /// A complete multi-line body (CAPA, LIST, UIDL listings): each line stuffed, CRLF-terminated,
    /// followed by the terminating ".". The lines must not contain CR or LF.
    public static func encode(lines: [String]) -> [UInt8] {
        var out: [UInt8] = []
        for line in lines {
            let bytes = Array(line.utf8)
            if bytes.first == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
            out.append(contentsOf: bytes)
            out.append(contentsOf: [0x0D, 0x0A])
        }
        out.append(contentsOf: terminator)
        return out
    }

    /// One received line of a multi-line response (CRLF already removed by the framer).
    public enum DecodedLine: Sendable, Equatable {
        /// The line was the terminating ".".
        case end
        /// A data line with its stuffing removed.
        case content([UInt8])
    }

    /// Reverses the stuffing of one line (RFC 1939 §3: "If so, and if octets other than CRLF
    /// follow, the first octet of the line (the termination octet) is stripped away.")
    public static func decode(line: [UInt8]) -> DecodedLine {
        guard line.first == UInt8(ascii: ".") else { return .content(line) }
        if line.count == 1 { return .end }
        return .content(Array(line.dropFirst()))
    }

    /// The size of a stored message as POP3 reports it (RFC 1939 §5 LIST, §7 "exact size"):
    /// every line ending counted as CRLF, stuffing not counted. A Maildir file normally holds
    /// LF endings; a bare LF counts two octets, an existing CRLF two as well.
    public static func wireSize(of message: [UInt8]) -> Int {
        var size = message.count
        var previous: UInt8 = 0
        for byte in message {
            if byte == 0x0A, previous != 0x0D { size += 1 }
            previous = byte
        }
        if let last = message.last, last != 0x0A {
            // The encoder closes an unterminated last line with CRLF.
            size += 2
        }
        return size
    }
}
