/// Reads a few header fields from the first bytes of a message, cheaply: for events, the
/// console and the mailbox index (not for anything that must be exact: `MIMEMessage` does that).
/// Works on bytes: in a Swift String "\r\n" is one Character and would not split on "\n".
public enum HeaderPeek {
    /// The unfolded `Subject:` of the header section found in `bytes`, if any.
    public static func subject(in bytes: [UInt8]) -> String? { field("subject", in: bytes) }

    /// The unfolded value of the first field called `name` (case-insensitive) in the header section.
    public static func field(_ name: String, in bytes: [UInt8]) -> String? {
        fields([name], in: bytes)[name.lowercased()]
    }

    /// The first value of each field of `names`, keyed by lowercased name, in one pass over the
    /// header section (which ends at the empty line or at the end of `bytes`: a field cut by the
    /// end is still used). Lines may end in CRLF or LF. Values are unfolded as RFC 5322 §2.2.3
    /// says (the line ends removed, nothing else), spaces and tabs around them trimmed, not
    /// decoded (RFC 2047 encoded words are left as they are).
    public static func fields(_ names: [String], in bytes: [UInt8]) -> [String: String] {
        let wanted = names.map { Array($0.lowercased().utf8) }
        var found: [String: String] = [:]
        var current: (name: String, value: [UInt8])?
        func finish() {
            guard let c = current else { return }
            if found[c.name] == nil { found[c.name] = trimmed(c.value) }
            current = nil
        }
        var start = 0
        while start < bytes.count {
            var end = bytes[start...].firstIndex(of: 10) ?? bytes.count
            let next = end + 1
            if end > start && bytes[end - 1] == 13 { end -= 1 }
            let line = bytes[start..<end]
            start = next
            if line.isEmpty { break }
            if let first = line.first, first == 32 || first == 9 {
                current?.value.append(contentsOf: line)
                continue
            }
            finish()
            if found.count == wanted.count { break }
            guard let colon = line.firstIndex(of: 58) else { continue }
            var nameEnd = colon
            while nameEnd > line.startIndex, bytes[nameEnd - 1] == 32 || bytes[nameEnd - 1] == 9 { nameEnd -= 1 }
            let key = line[line.startIndex..<nameEnd].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
            if let index = wanted.firstIndex(of: key), found[names[index].lowercased()] == nil {
                current = (names[index].lowercased(), Array(line[(colon + 1)...]))
            }
        }
        finish()
        return found
    }

    private static func trimmed(_ value: [UInt8]) -> String {
        var slice = value[...]
        while let first = slice.first, first == 32 || first == 9 { slice = slice.dropFirst() }
        while let last = slice.last, last == 32 || last == 9 { slice = slice.dropLast() }
        return String(decoding: slice, as: UTF8.self)
    }
}
