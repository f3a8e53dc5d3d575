import FacteurMIME

/// `section-spec` (RFC 3501 §6.4.5, §9): a part path and what of it.
public struct SectionSpec: Hashable, Sendable, CustomStringConvertible {
    /// `section-text` / `section-msgtext`
    public enum Text: Hashable, Sendable {
        case header
        case headerFields([String])
        case headerFieldsNot([String])
        case text
        /// Only after a part number.
        case mime
    }

    /// `section-part = nz-number *("." nz-number)`; empty for the whole message.
    public var part: [Int]
    public var text: Text?

    public init(part: [Int] = [], text: Text? = nil) {
        self.part = part; self.text = text
    }

    /// `BODY[]`
    public static let whole = SectionSpec()

    /// The text between the brackets.
    public var description: String {
        var writer = IMAPWriter()
        writer.section(self)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

/// `fetch-att` (RFC 3501 §6.4.5). The macros ALL / FAST / FULL are expanded when parsed.
public enum FetchAttribute: Hashable, Sendable {
    case envelope
    case flags
    case internalDate
    /// `RFC822`: like `BODY[]` but sets \Seen.
    case rfc822
    /// `RFC822.HEADER`: like `BODY.PEEK[HEADER]`.
    case rfc822Header
    case rfc822Size
    /// `RFC822.TEXT`: like `BODY[TEXT]`, sets \Seen.
    case rfc822Text
    /// `BODY` without section: the non-extensible BODYSTRUCTURE.
    case bodyStructureWithoutExtensions
    case bodyStructure
    case uid
    /// `BODY[section]<origin.count>` / `BODY.PEEK[...]`.
    case bodySection(peek: Bool, section: SectionSpec, partial: ClosedRange<UInt32>?)
    /// RFC 7162 §3.1.4: the message's mod-sequence.
    case modSeq
    /// RFC 3516: `BINARY[part]<origin.count>` / `BINARY.PEEK[...]`, decoded content.
    case binary(peek: Bool, part: [Int], partial: ClosedRange<UInt32>?)
    /// RFC 3516: `BINARY.SIZE[part]`, octets of the decoded content.
    case binarySize(part: [Int])

    public static let macroAll: [FetchAttribute] = [.flags, .internalDate, .rfc822Size, .envelope]
    public static let macroFast: [FetchAttribute] = [.flags, .internalDate, .rfc822Size]
    public static let macroFull: [FetchAttribute] = [.flags, .internalDate, .rfc822Size, .envelope, .bodyStructureWithoutExtensions]

    /// True if fetching this attribute sets \Seen (RFC 3501 §6.4.5).
    public var setsSeen: Bool {
        switch self {
        case .rfc822, .rfc822Text: return true
        case .bodySection(let peek, _, _), .binary(let peek, _, _): return !peek
        default: return false
        }
    }
}

extension IMAPReader {
    /// `"ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")"`
    mutating func fetchAttributes() throws(IMAPParseError) -> [FetchAttribute] {
        if peek == UInt8(ascii: "(") {
            return try parenthesizedList(limit: IMAPLimits.maxFetchAttributes) { (reader: inout IMAPReader) throws(IMAPParseError) in
                try reader.fetchAttribute()
            }
        }
        let save = index
        switch try keyword("a fetch attribute") {
        case "ALL": return FetchAttribute.macroAll
        case "FAST": return FetchAttribute.macroFast
        case "FULL": return FetchAttribute.macroFull
        default:
            index = save
            return [try fetchAttribute()]
        }
    }

    mutating func fetchAttribute() throws(IMAPParseError) -> FetchAttribute {
        let name = String(decoding: try take("a fetch attribute", while: { byte in
            IMAPGrammar.isDigit(byte) || byte == UInt8(ascii: ".") || (IMAPGrammar.upper(byte) >= 65 && IMAPGrammar.upper(byte) <= 90)
        }), as: UTF8.self).uppercased()
        switch name {
        case "ENVELOPE": return .envelope
        case "FLAGS": return .flags
        case "INTERNALDATE": return .internalDate
        case "RFC822": return .rfc822
        case "RFC822.HEADER": return .rfc822Header
        case "RFC822.SIZE": return .rfc822Size
        case "RFC822.TEXT": return .rfc822Text
        case "BODYSTRUCTURE": return .bodyStructure
        case "UID": return .uid
        case "MODSEQ": return .modSeq
        case "BINARY", "BINARY.PEEK", "BINARY.SIZE": return try binaryAttribute(name)
        case "BODY", "BODY.PEEK":
            guard peek == UInt8(ascii: "[") else {
                guard name == "BODY" else { throw error("BODY.PEEK needs a section") }
                return .bodyStructureWithoutExtensions
            }
            let section = try section()
            return .bodySection(peek: name == "BODY.PEEK", section: section, partial: try partial())
        default:
            throw error("Unknown fetch attribute \(name)")
        }
    }

    /// `section = "[" [section-spec] "]"`
    mutating func section() throws(IMAPParseError) -> SectionSpec {
        try expect(UInt8(ascii: "["), "'['")
        var spec = SectionSpec()
        if skip(UInt8(ascii: "]")) { return spec }
        var needsText = false
        while let byte = peek, IMAPGrammar.isDigit(byte) {
            guard spec.part.count < MIMELimits.maxMIMEDepth else { throw error("Section part too deep") }
            spec.part.append(Int(try nzNumber("a part number")))
            needsText = skip(UInt8(ascii: "."))
            guard needsText else { break }
        }
        if needsText || peek != UInt8(ascii: "]") {
            let word = String(decoding: try take("a section name", while: { byte in
                byte == UInt8(ascii: ".") || (IMAPGrammar.upper(byte) >= 65 && IMAPGrammar.upper(byte) <= 90)
            }), as: UTF8.self).uppercased()
            switch word {
            case "HEADER": spec.text = .header
            case "TEXT": spec.text = .text
            case "MIME":
                guard !spec.part.isEmpty else { throw error("MIME needs a part number") }
                spec.text = .mime
            case "HEADER.FIELDS", "HEADER.FIELDS.NOT":
                try space()
                let fields = try parenthesizedList(limit: 200) { (reader: inout IMAPReader) throws(IMAPParseError) in
                    try reader.astringText("a header field name")
                }
                spec.text = word == "HEADER.FIELDS" ? .headerFields(fields) : .headerFieldsNot(fields)
            default:
                throw error("Unknown section \(word)")
            }
        }
        try expect(UInt8(ascii: "]"), "']' closing the section")
        return spec
    }
}

extension IMAPWriter {
    /// `section-spec` without the brackets.
    mutating func section(_ spec: SectionSpec) {
        raw(spec.part.map(String.init).joined(separator: "."))
        guard let text = spec.text else { return }
        if !spec.part.isEmpty { raw(".") }
        switch text {
        case .header: raw("HEADER")
        case .text: raw("TEXT")
        case .mime: raw("MIME")
        case .headerFields(let fields): raw("HEADER.FIELDS "); list(fields) { $0.astring($1) }
        case .headerFieldsNot(let fields): raw("HEADER.FIELDS.NOT "); list(fields) { $0.astring($1) }
        }
    }

    public mutating func fetchAttribute(_ attribute: FetchAttribute) {
        switch attribute {
        case .envelope: raw("ENVELOPE")
        case .flags: raw("FLAGS")
        case .internalDate: raw("INTERNALDATE")
        case .rfc822: raw("RFC822")
        case .rfc822Header: raw("RFC822.HEADER")
        case .rfc822Size: raw("RFC822.SIZE")
        case .rfc822Text: raw("RFC822.TEXT")
        case .bodyStructureWithoutExtensions: raw("BODY")
        case .bodyStructure: raw("BODYSTRUCTURE")
        case .uid: raw("UID")
        case .modSeq: raw("MODSEQ")
        case .bodySection(let peek, let spec, let partial):
            raw(peek ? "BODY.PEEK[" : "BODY[")
            section(spec)
            raw("]")
            if let partial { raw("<\(partial.lowerBound).\(UInt64(partial.upperBound) - UInt64(partial.lowerBound) + 1)>") }
        case .binary(let peek, let part, let partial):
            raw(peek ? "BINARY.PEEK" : "BINARY")
            binarySection(part)
            if let partial { raw("<\(partial.lowerBound).\(UInt64(partial.upperBound) - UInt64(partial.lowerBound) + 1)>") }
        case .binarySize(let part): raw("BINARY.SIZE"); binarySection(part)
        }
    }
}
