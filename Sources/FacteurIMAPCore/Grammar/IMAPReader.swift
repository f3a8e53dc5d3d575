/// A cursor over one complete command frame, with the RFC 3501 §9 primitive rules.
/// Every method either consumes what it parsed or throws; none loops without consuming.
struct IMAPReader {
    let bytes: [UInt8]
    var index: Int
    /// End of the command: the final CRLF (or bare LF, see `IMAPFramer`) is excluded.
    let end: Int
    var tag: String?

    init<C: Collection>(_ frame: C) where C.Element == UInt8 {
        bytes = Array(frame)
        index = 0
        var end = bytes.count
        if end > 0, bytes[end - 1] == UInt8(ascii: "\n") {
            end -= 1
            if end > 0, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        }
        self.end = end
    }

    var atEnd: Bool { index >= end }
    var peek: UInt8? { index < end ? bytes[index] : nil }

    func error(_ reason: String) -> IMAPParseError {
        IMAPParseError(reason, tag: tag, offset: index)
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(IMAPParseError) {
        guard peek == byte else { throw error("Expected \(what)") }
        index += 1
    }

    /// Consumes `byte` if it is next.
    mutating func skip(_ byte: UInt8) -> Bool {
        if peek == byte { index += 1; return true }
        return false
    }

    /// `SP`. Leniency: runs of spaces are accepted as one (some clients double them).
    mutating func space() throws(IMAPParseError) {
        guard peek == UInt8(ascii: " ") else { throw error("Expected a space") }
        while peek == UInt8(ascii: " ") { index += 1 }
    }

    mutating func expectEnd() throws(IMAPParseError) {
        while peek == UInt8(ascii: " ") { index += 1 }  // trailing spaces: harmless leniency
        guard atEnd else { throw error("Unexpected characters at end of command") }
    }

    /// Case-insensitive match of a literal keyword (not followed by checking a delimiter).
    mutating func skipKeyword(_ keyword: String) -> Bool {
        let word = Array(keyword.utf8)
        guard end - index >= word.count else { return false }
        for (offset, expected) in word.enumerated()
        where IMAPGrammar.upper(bytes[index + offset]) != IMAPGrammar.upper(expected) {
            return false
        }
        index += word.count
        return true
    }

    /// Reads bytes while `predicate` holds; at least one.
    mutating func take(_ what: String, while predicate: (UInt8) -> Bool) throws(IMAPParseError) -> ArraySlice<UInt8> {
        let start = index
        while index < end, predicate(bytes[index]) { index += 1 }
        guard index > start else { throw error("Expected \(what)") }
        return bytes[start..<index]
    }

    /// `atom = 1*ATOM-CHAR`
    mutating func atom(_ what: String = "an atom") throws(IMAPParseError) -> String {
        String(decoding: try take(what, while: IMAPGrammar.isAtomChar), as: UTF8.self)
    }

    /// An atom, uppercased, for keyword dispatch.
    mutating func keyword(_ what: String = "a keyword") throws(IMAPParseError) -> String {
        try atom(what).uppercased()
    }

    /// `number = 1*DIGIT` (unsigned 32-bit)
    mutating func number(_ what: String = "a number") throws(IMAPParseError) -> UInt32 {
        let start = index
        let digits = try take(what, while: IMAPGrammar.isDigit)
        guard digits.count <= 10 else { index = start; throw error("Number too large") }
        var value: UInt64 = 0
        for digit in digits { value = value * 10 + UInt64(digit - UInt8(ascii: "0")) }
        guard value <= UInt64(UInt32.max) else { index = start; throw error("Number too large") }
        return UInt32(value)
    }

    /// `nz-number = digit-nz *DIGIT`
    mutating func nzNumber(_ what: String = "a non-zero number") throws(IMAPParseError) -> UInt32 {
        let start = index
        let value = try number(what)
        guard value != 0 else { index = start; throw error("Expected \(what), got 0") }
        return value
    }

    /// `quoted = DQUOTE *QUOTED-CHAR DQUOTE`
    /// Leniency: octets above 0x7F are accepted, because clients put UTF-8 in quoted SEARCH
    /// strings and passwords; CR, LF and NUL are not.
    mutating func quoted() throws(IMAPParseError) -> [UInt8] {
        try expect(UInt8(ascii: "\""), "a quoted string")
        var result: [UInt8] = []
        while true {
            guard let byte = peek else { throw error("Unterminated quoted string") }
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return result
            case UInt8(ascii: "\\"):
                guard let escaped = peek, escaped == UInt8(ascii: "\"") || escaped == UInt8(ascii: "\\") else {
                    throw error("Invalid escape in quoted string")
                }
                index += 1
                result.append(escaped)
            case 0, UInt8(ascii: "\r"), UInt8(ascii: "\n"):
                index -= 1
                throw error("Invalid character in quoted string")
            default:
                result.append(byte)
            }
        }
    }

    /// `literal = "{" number ["+"] "}" CRLF *CHAR8` — the framer has already placed the
    /// octets inline after the line end. NUL is refused (RFC 3501 §4.3).
    mutating func literal(allowingNUL: Bool = false) throws(IMAPParseError) -> [UInt8] {
        try expect(UInt8(ascii: "{"), "a literal")
        let size = Int(try number("a literal size"))
        _ = skip(UInt8(ascii: "+"))
        try expect(UInt8(ascii: "}"), "'}' closing the literal size")
        _ = skip(UInt8(ascii: "\r"))
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\n") else { throw error("Expected CRLF after literal size") }
        index += 1
        guard bytes.count - index >= size else { throw error("Literal shorter than announced") }
        let data = Array(bytes[index..<(index + size)])
        guard allowingNUL || !data.contains(0) else { throw error("NUL octet in literal") }
        index += size
        return data
    }

    /// `string = quoted / literal`
    mutating func string() throws(IMAPParseError) -> [UInt8] {
        switch peek {
        case UInt8(ascii: "\""): return try quoted()
        case UInt8(ascii: "{"): return try literal()
        default: throw error("Expected a string")
        }
    }

    /// `astring = 1*ASTRING-CHAR / string`
    mutating func astring(_ what: String = "a string") throws(IMAPParseError) -> [UInt8] {
        switch peek {
        case UInt8(ascii: "\""), UInt8(ascii: "{"): return try string()
        default: return Array(try take(what, while: IMAPGrammar.isAstringChar))
        }
    }

    mutating func astringText(_ what: String = "a string") throws(IMAPParseError) -> String {
        String(decoding: try astring(what), as: UTF8.self)
    }

    /// `nstring = string / nil`
    mutating func nstring() throws(IMAPParseError) -> [UInt8]? {
        if peek == UInt8(ascii: "\"") || peek == UInt8(ascii: "{") { return try string() }
        guard skipKeyword("NIL") else { throw error("Expected a string or NIL") }
        return nil
    }

    /// `"(" element *(SP element) ")"`, non-empty unless `allowEmpty`.
    mutating func parenthesizedList<T>(allowEmpty: Bool = false, limit: Int = 1000,
                                       _ element: (inout IMAPReader) throws(IMAPParseError) -> T)
        throws(IMAPParseError) -> [T] {
        try expect(UInt8(ascii: "("), "'('")
        var result: [T] = []
        if skip(UInt8(ascii: ")")) {
            guard allowEmpty else { throw error("Empty list") }
            return result
        }
        while true {
            guard result.count < limit else { throw error("Too many list elements") }
            result.append(try element(&self))
            if skip(UInt8(ascii: ")")) { return result }
            try space()
            if skip(UInt8(ascii: ")")) { return result }  // leniency: trailing space before ")"
        }
    }
}
