import FacteurMIME

/// BINARY fetch attributes (RFC 3516 §4.2):
///
///     fetch-att      =/ "BINARY" [".PEEK"] section-binary [partial] / "BINARY.SIZE" section-binary
///     section-binary = "[" [section-part] "]"
extension IMAPReader {
    /// The rest of `BINARY` / `BINARY.PEEK` / `BINARY.SIZE` after the name.
    mutating func binaryAttribute(_ name: String) throws(IMAPParseError) -> FetchAttribute {
        let part = try binarySection()
        if name == "BINARY.SIZE" { return .binarySize(part: part) }
        return .binary(peek: name == "BINARY.PEEK", part: part, partial: try partial())
    }

    /// `partial = "<" number "." nz-number ">"` (RFC 3501 §9), as the range of octets it names.
    mutating func partial() throws(IMAPParseError) -> ClosedRange<UInt32>? {
        guard skip(UInt8(ascii: "<")) else { return nil }
        let origin = try number("a partial origin")
        try expect(UInt8(ascii: "."), "'.' in partial")
        let count = try nzNumber("a partial length")
        try expect(UInt8(ascii: ">"), "'>' closing partial")
        let (last, overflow) = origin.addingReportingOverflow(count - 1)
        return origin...(overflow ? UInt32.max : last)
    }

    /// `section-binary = "[" [section-part] "]"`: only part numbers, no HEADER / TEXT / MIME.
    mutating func binarySection() throws(IMAPParseError) -> [Int] {
        try expect(UInt8(ascii: "["), "'[' after BINARY")
        var part: [Int] = []
        if skip(UInt8(ascii: "]")) { return part }
        repeat {
            guard part.count < MIMELimits.maxMIMEDepth else { throw error("Section part too deep") }
            part.append(Int(try nzNumber("a part number")))
        } while skip(UInt8(ascii: "."))
        try expect(UInt8(ascii: "]"), "']' closing the binary section")
        return part
    }

    /// `literal8 = "~{" number ["+"] "}" CRLF *OCTET` (RFC 3516 §4.1, LITERAL+ allowed): any
    /// octet, NUL included. The framer has placed the octets inline after the line end.
    mutating func literal8() throws(IMAPParseError) -> [UInt8] {
        try expect(UInt8(ascii: "~"), "a binary literal")
        return try literal(allowingNUL: true)
    }

    /// APPEND's message: `literal` or, with BINARY, `literal8`.
    mutating func appendMessageLiteral() throws(IMAPParseError) -> [UInt8] {
        peek == UInt8(ascii: "~") ? try literal8() : try literal()
    }
}

extension IMAPWriter {
    /// `BINARY[1.2]<origin>` / `BINARY.SIZE[1.2]` as the client wrote it (for FETCH requests).
    mutating func binarySection(_ part: [Int]) {
        raw("[" + part.map(String.init).joined(separator: ".") + "]")
    }

    /// `literal8` when the octets hold a NUL (RFC 3516 §4.3: only then is it required),
    /// an ordinary literal otherwise; NIL for a part that does not exist.
    mutating func binaryData(_ data: [UInt8]?) {
        guard let data else { raw("NIL"); return }
        if data.isEmpty { raw("\"\""); return }
        if data.contains(0) { raw("~") }
        literal(data)
    }
}
