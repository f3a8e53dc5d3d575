/// Builds a command line whose strings may need synchronizing literals (RFC 3501 §4.3, §7.5).
/// The result is a list of chunks: each chunk but the last ends with `{n}` CRLF and must wait
/// for a "+" continuation before the next chunk is sent.
struct IMAPCommandBuilder {
    private(set) var chunks: [[UInt8]] = []
    private var current: [UInt8]

    init(tag: String) { current = Array(tag.utf8) }

    mutating func atom(_ text: String) {
        current.append(0x20)
        current.append(contentsOf: text.utf8)
    }

    /// astring as a quoted string when it is 7-bit without CR/LF/NUL, else as a literal.
    mutating func string(_ text: String) {
        let bytes = Array(text.utf8)
        current.append(0x20)
        if bytes.allSatisfy({ $0 >= 0x01 && $0 <= 0x7F && $0 != 0x0D && $0 != 0x0A }) {
            current.append(UInt8(ascii: "\""))
            for byte in bytes {
                // quoted-specials = DQUOTE / "\"
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { current.append(UInt8(ascii: "\\")) }
                current.append(byte)
            }
            current.append(UInt8(ascii: "\""))
        } else {
            current.append(contentsOf: "{\(bytes.count)}\r\n".utf8)
            chunks.append(current)
            current = bytes
        }
    }

    mutating func finish() -> [[UInt8]] {
        current.append(contentsOf: [0x0D, 0x0A])
        chunks.append(current)
        current = []
        return chunks
    }

    /// sequence-set with UIDs: sorted, duplicates removed, runs as `a:b` (RFC 3501 §9).
    static func sequenceSet(_ uids: [UInt32]) -> String {
        let sorted = Array(Set(uids)).sorted()
        var ranges: [String] = []
        var index = 0
        while index < sorted.count {
            var end = index
            while end + 1 < sorted.count, sorted[end + 1] == sorted[end] + 1 { end += 1 }
            ranges.append(end == index ? "\(sorted[index])" : "\(sorted[index]):\(sorted[end])")
            index = end + 1
        }
        return ranges.joined(separator: ",")
    }
}
