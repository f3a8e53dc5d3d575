/// Reads the tokens of one framed IMAP response (RFC 3501 §9 formal syntax, the subset a
/// collecting client needs): atoms, numbers, quoted strings, literals, NIL and parentheses.
struct IMAPTokenReader {
    enum Token: Equatable {
        /// An atom, possibly with a section and partial suffix kept whole: `BODY[]`, `BODY[]<0>`,
        /// `\Seen`, `UIDVALIDITY`, numbers.
        case atom(String)
        case quoted([UInt8])
        case literal([UInt8])
        case open
        case close
        case openBracket
        case closeBracket
    }

    private let parts: [IMAPResponseFramer.Part]
    private var partIndex = 0
    private var position = 0

    init(_ parts: [IMAPResponseFramer.Part]) { self.parts = parts }

    /// The next token, or nil at the end of the response. Malformed input yields nil too.
    mutating func next() -> Token? {
        while partIndex < parts.count {
            switch parts[partIndex] {
            case .literal(let bytes):
                partIndex += 1; position = 0
                return .literal(bytes)
            case .text(let text):
                while position < text.count, text[position] == 0x20 { position += 1 }
                guard position < text.count else { partIndex += 1; position = 0; continue }
                let byte = text[position]
                switch byte {
                case UInt8(ascii: "("): position += 1; return .open
                case UInt8(ascii: ")"): position += 1; return .close
                case UInt8(ascii: "["): position += 1; return .openBracket
                case UInt8(ascii: "]"): position += 1; return .closeBracket
                case UInt8(ascii: "\""): return quoted(text)
                case UInt8(ascii: "{"):
                    // The announcement; the literal itself is the next part.
                    if IMAPResponseFramer.literalAnnouncement(Array(text[position...])) != nil {
                        partIndex += 1; position = 0
                        continue
                    }
                    return atom(text)
                default:
                    return atom(text)
                }
            }
        }
        return nil
    }

    /// The rest of the current text line, from the current position (human-readable `resp-text`).
    mutating func restOfLine() -> String {
        guard partIndex < parts.count, case .text(let text) = parts[partIndex] else { return "" }
        while position < text.count, text[position] == 0x20 { position += 1 }
        let rest = position < text.count ? Array(text[position...]) : []
        partIndex += 1; position = 0
        return String(decoding: rest, as: UTF8.self)
    }

    /// quoted = DQUOTE *QUOTED-CHAR DQUOTE; QUOTED-CHAR may be "\" quoted-specials
    private mutating func quoted(_ text: [UInt8]) -> Token? {
        var value: [UInt8] = []
        var index = position + 1
        while index < text.count {
            let byte = text[index]
            if byte == UInt8(ascii: "\\"), index + 1 < text.count {
                value.append(text[index + 1]); index += 2; continue
            }
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return .quoted(value)
            }
            value.append(byte); index += 1
        }
        partIndex = parts.count   // unterminated: malformed, stop
        return nil
    }

    /// Atom characters up to SP, parentheses or a quote; a `[...]` section (which may hold spaces
    /// and parentheses, e.g. `BODY[HEADER.FIELDS (FROM)]`) and a `<n>` origin stay in the atom
    /// when they follow atom characters directly.
    private mutating func atom(_ text: [UInt8]) -> Token? {
        let start = position
        var index = position
        var depth = 0
        while index < text.count {
            let byte = text[index]
            if depth > 0 {
                if byte == UInt8(ascii: "]") { depth -= 1 }
                index += 1; continue
            }
            if byte == UInt8(ascii: "["), index > start { depth += 1; index += 1; continue }
            if byte == 0x20 || byte == UInt8(ascii: "(") || byte == UInt8(ascii: ")") || byte == UInt8(ascii: "\"")
                || byte == UInt8(ascii: "]") || byte == UInt8(ascii: "[") || byte < 0x20 {
                break
            }
            index += 1
        }
        guard index > start else { position += 1; return next() }
        position = index
        return .atom(String(decoding: text[start..<index], as: UTF8.self))
    }
}
