/// From, Subject and Date of a message, from the first bytes of its header (RFC 5322 §2.2).
/// Values are unfolded but not decoded (RFC 2047 encoded words are left as they are).
public struct HeaderSummary: Sendable, Equatable {
    public var from: String?
    public var subject: String?
    public var date: String?

    /// Reads header fields until the empty line or the end of `bytes` (a field cut by the end
    /// is still used). Lines may end in CRLF or LF.
    public static func parse(_ bytes: [UInt8]) -> HeaderSummary {
        var out = HeaderSummary()
        var current: (name: String, value: [UInt8])?
        func finish() {
            guard let c = current else { return }
            let v = String(decoding: c.value, as: UTF8.self).trimmingSpaces()
            switch c.name {
            case "from" where out.from == nil: out.from = v
            case "subject" where out.subject == nil: out.subject = v
            case "date" where out.date == nil: out.date = v
            default: break
            }
            current = nil
        }
        var i = 0
        while i < bytes.count {
            var end = i
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            var line = bytes[i..<end]
            if line.last == 0x0D { line = line.dropLast() }
            i = end + 1
            if line.isEmpty { break }
            if let first = line.first, first == 0x20 || first == 0x09 {
                // Folded continuation (RFC 5322 §2.2.3): unfolding removes the CRLF only.
                current?.value.append(contentsOf: line)
                continue
            }
            finish()
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { continue }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).trimmingSpaces().lowercased()
            if name == "from" || name == "subject" || name == "date" {
                current = (name, Array(line[(colon + 1)...]))
            }
        }
        finish()
        return out
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
