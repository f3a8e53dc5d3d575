/// Lexer for structured header fields (RFC 5322 §3.2): atoms, quoted strings, comments and
/// specials, used by the address and Content-Type parsers.
enum HeaderToken: Hashable {
    case word(String)
    case quoted(String)
    case comment(String)
    case special(Character)

    /// Lexes `value`. `specials` are the characters that stand alone (RFC 5322 specials for
    /// addresses, RFC 2045 tspecials for Content-Type).
    static func lex(_ value: String, specials: Set<Character>) -> [HeaderToken] {
        var tokens: [HeaderToken] = []
        let characters = Array(value)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == " " || character == "\t" || character == "\r" || character == "\n" {
                index += 1
            } else if character == "\"" {
                var text = ""
                index += 1
                while index < characters.count, characters[index] != "\"" {
                    if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                    text.append(characters[index])
                    index += 1
                }
                index += 1
                tokens.append(.quoted(text))
            } else if character == "(" {
                var depth = 1
                var text = ""
                index += 1
                while index < characters.count, depth > 0 {
                    let inner = characters[index]
                    if inner == "\\", index + 1 < characters.count {
                        text.append(characters[index + 1]); index += 2; continue
                    }
                    if inner == "(" { depth += 1 }
                    if inner == ")" { depth -= 1; if depth == 0 { index += 1; break } }
                    text.append(inner)
                    index += 1
                }
                tokens.append(.comment(text))
            } else if specials.contains(character) {
                tokens.append(.special(character))
                index += 1
            } else {
                var text = ""
                while index < characters.count {
                    let inner = characters[index]
                    if inner == " " || inner == "\t" || inner == "\"" || inner == "(" || specials.contains(inner) { break }
                    text.append(inner)
                    index += 1
                }
                tokens.append(.word(text))
            }
        }
        return tokens
    }
}
