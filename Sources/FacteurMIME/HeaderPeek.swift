/// Reads one header field from the start of a message, for events and the console
/// (not for anything that must be exact: the IMAP MIME parser does that).
public enum HeaderPeek {
    /// The unfolded `Subject:` of the header section found in `bytes`, if any.
    public static func subject(in bytes: [UInt8]) -> String? { field("subject", in: bytes) }

    /// The unfolded value of the first field called `name` (case-insensitive) in the header section.
    /// Works on bytes: in a Swift String "\r\n" is one Character and would not split on "\n".
    public static func field(_ name: String, in bytes: [UInt8]) -> String? {
        let want = Array(name.lowercased().utf8)
        var value: [UInt8]?
        var start = 0
        while start < bytes.count {
            var end = bytes[start...].firstIndex(of: 10) ?? bytes.count
            let next = end + 1
            if end > start && bytes[end - 1] == 13 { end -= 1 }
            let line = bytes[start..<end]
            start = next
            if line.isEmpty { break }
            if let first = line.first, first == 32 || first == 9 {
                if value != nil { value! += [32] + line.drop(while: { $0 == 32 || $0 == 9 }) }
                continue
            }
            if value != nil { break }
            guard let colon = line.firstIndex(of: 58) else { continue }
            let key = line[line.startIndex..<colon].map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
            if key == want { value = Array(line[(colon + 1)...].drop(while: { $0 == 32 || $0 == 9 })) }
        }
        return value.map { String(decoding: $0, as: UTF8.self) }
    }
}
