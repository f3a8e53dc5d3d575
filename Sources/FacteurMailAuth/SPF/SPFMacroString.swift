/// A macro-string (RFC 7208 §7.1), parsed once and expanded per check.
///
///     macro-string  = *( macro-expand / macro-literal )
///     macro-expand  = ( "%{" macro-letter transformers *delimiter "}" ) / "%%" / "%_" / "%-"
///     macro-literal = %x21-24 / %x26-7E
///     transformers  = *DIGIT [ "r" ]
///     delimiter     = "." / "-" / "+" / "," / "/" / "_" / "="
public struct SPFMacroString: Sendable, Hashable {
    public enum Token: Sendable, Hashable {
        case literal(String)
        case macro(Macro)
    }

    public struct Macro: Sendable, Hashable {
        /// Lowercased letter; `escape` is true when it was written in upper case (URL-escape the value).
        public var letter: Character
        public var escape: Bool
        /// Rightmost parts kept (nil: all).
        public var keep: Int?
        public var reverse: Bool
        public var delimiters: Set<Character>
    }

    public var tokens: [Token]
    public let text: String

    static let letters: Set<Character> = ["s", "l", "o", "d", "i", "p", "h", "c", "r", "t", "v"]
    /// Letters only allowed in an explanation (RFC 7208 §7.2).
    static let explanationOnly: Set<Character> = ["c", "r", "t"]
    static let delimiterSet: Set<Character> = [".", "-", "+", ",", "/", "_", "="]

    /// Parses `text`. With `explanation`, spaces are literals and c, r, t are allowed (explain-string).
    public init?(_ text: String, explanation: Bool = false) {
        self.text = text
        var tokens: [Token] = []
        var literal = ""
        let chars = Array(text)
        var i = 0
        func flush() { if !literal.isEmpty { tokens.append(.literal(literal)); literal = "" } }
        while i < chars.count {
            let c = chars[i]
            guard let ascii = c.asciiValue else { return nil }
            if c != "%" {
                guard (0x21...0x7E).contains(ascii) || (explanation && c == " ") else { return nil }
                literal.append(c)
                i += 1
                continue
            }
            guard i + 1 < chars.count else { return nil }
            switch chars[i + 1] {
            case "%": literal.append("%"); i += 2
            case "_": literal.append(" "); i += 2
            case "-": literal.append("%20"); i += 2
            case "{":
                guard let close = chars[(i + 2)...].firstIndex(of: "}") else { return nil }
                let body = Array(chars[(i + 2)..<close])
                guard let letter = body.first, letter.isASCII else { return nil }
                let lower = Character(letter.lowercased())
                guard Self.letters.contains(lower), explanation || !Self.explanationOnly.contains(lower) else { return nil }
                var j = 1
                var digits = ""
                while j < body.count, body[j].isASCII, body[j].isNumber { digits.append(body[j]); j += 1 }
                var keep: Int?
                if !digits.isEmpty {
                    // RFC 7208 §7.3: the digit transformer must be nonzero; large values mean "all".
                    guard let n = Int(digits.prefix(4)), n > 0 else { return nil }
                    keep = min(n, 128)
                }
                var reverse = false
                if j < body.count, body[j] == "r" || body[j] == "R" { reverse = true; j += 1 }
                var delimiters = Set<Character>()
                while j < body.count {
                    guard Self.delimiterSet.contains(body[j]) else { return nil }
                    delimiters.insert(body[j]); j += 1
                }
                flush()
                tokens.append(.macro(Macro(letter: lower, escape: letter.isUppercase, keep: keep, reverse: reverse,
                                           delimiters: delimiters.isEmpty ? ["."] : delimiters)))
                i = close + 1
            default:
                return nil
            }
        }
        flush()
        self.tokens = tokens
    }

    /// True when the string ends with a macro (a domain-spec then needs no literal top label).
    var endsWithMacro: Bool {
        if case .macro = tokens.last { return true }
        return false
    }

    var usesMacros: Bool { tokens.contains { if case .macro = $0 { true } else { false } } }

    /// Applies the transformers of `macro` to `value` (RFC 7208 §7.3).
    static func transform(_ value: String, _ macro: Macro) -> String {
        var parts = value.split(omittingEmptySubsequences: false, whereSeparator: { macro.delimiters.contains($0) }).map(String.init)
        if macro.reverse { parts.reverse() }
        if let keep = macro.keep, keep < parts.count { parts = Array(parts.suffix(keep)) }
        let joined = parts.joined(separator: ".")
        return macro.escape ? urlEscaped(joined) : joined
    }

    /// RFC 7208 §7.3: upper-case macros are URL-escaped (RFC 3986 unreserved characters kept).
    static func urlEscaped(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~".contains(c)) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
