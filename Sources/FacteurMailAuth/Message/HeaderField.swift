/// One header field exactly as it appears in the message (RFC 5322 §2.2), folding and line
/// ending included: DKIM's "simple" canonicalisation needs the original octets.
public struct HeaderField: Sendable, Hashable {
    /// The whole field, from the first octet of the name to the end of its last line (CRLF or LF kept).
    public var raw: ArraySlice<UInt8>
    /// The field name in lower case.
    public var name: String

    /// The octets after the colon, line endings kept.
    public var rawValue: ArraySlice<UInt8> {
        guard let colon = raw.firstIndex(of: UInt8(ascii: ":")) else { return raw[raw.endIndex...] }
        return raw[(colon + 1)...]
    }

    /// The value unfolded, with surrounding whitespace trimmed (for parsing, not for hashing).
    public var value: String {
        var out: [UInt8] = []
        for byte in rawValue where byte != 13 && byte != 10 { out.append(byte == 9 ? 32 : byte) }
        return String(decoding: out, as: UTF8.self).trimmingSpaces
    }
}

/// The header section of a message split into fields, and where the body starts (RFC 5322 §2.1).
public struct MessageHeader: Sendable {
    public var fields: [HeaderField]
    /// Offset of the first body octet (after the empty line), or the message length if there is none.
    public var bodyStart: Int

    /// Splits the header section of `message`. Lines ending in LF alone are accepted (the spool
    /// keeps CRLF; tests and fixtures sometimes do not). Bounded by `MailAuthLimits`.
    public init(_ message: [UInt8]) {
        var fields: [HeaderField] = []
        var start = 0
        var fieldStart: Int?
        let limit = min(message.count, MailAuthLimits.headerSectionBytes)
        func close(at end: Int) {
            guard let s = fieldStart else { return }
            let raw = message[s..<end]
            if let colon = raw.firstIndex(of: UInt8(ascii: ":")) {
                let name = String(decoding: message[s..<colon], as: UTF8.self).trimmingSpaces.lowercased()
                if fields.count < MailAuthLimits.headerFields { fields.append(HeaderField(raw: raw, name: name)) }
            }
            fieldStart = nil
        }
        var bodyStart = message.count
        while start < limit {
            let lineEnd = message[start..<message.count].firstIndex(of: 10).map { $0 + 1 } ?? message.count
            let contentEnd = lineEnd - (lineEnd > start && message[lineEnd - 1] == 10 ? 1 : 0)
            let bare = contentEnd > start && message[contentEnd - 1] == 13 ? contentEnd - 1 : contentEnd
            if bare == start {
                close(at: start)
                bodyStart = lineEnd
                break
            }
            let first = message[start]
            if first == 32 || first == 9 {
                // A continuation line belongs to the field before it.
            } else {
                close(at: start)
                fieldStart = start
            }
            start = lineEnd
        }
        if bodyStart == message.count { close(at: min(start, message.count)) }
        self.fields = fields
        self.bodyStart = bodyStart
    }

    public func fields(named name: String) -> [HeaderField] {
        let lower = name.lowercased()
        return fields.filter { $0.name == lower }
    }
}

extension String {
    /// Without leading and trailing spaces, tabs, CR and LF (on scalars: "\r\n" is one Character).
    var trimmingSpaces: String {
        let space: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        var scalars = Substring(self).unicodeScalars
        while let f = scalars.first, space(f) { scalars.removeFirst() }
        while let l = scalars.last, space(l) { scalars.removeLast() }
        return String(scalars)
    }
}
