/// A parsed `Content-Type` or `Content-Disposition` value (RFC 2045 §5.1, RFC 2183 §2):
/// `type "/" subtype *(";" parameter)` or `disposition-type *(";" parameter)`.
public struct MIMEFieldValue: Hashable, Sendable {
    /// Lowercased main value ("text/plain" → "text", disposition "attachment").
    public var value: String
    /// Lowercased subtype, empty for a disposition.
    public var subtype: String
    /// Parameters in order; names as written, values unquoted.
    public var parameters: [BodyParameter]

    /// A parameter's value for our own use: a plain `name=` first, else the RFC 2231
    /// extended `name*=` decoded.
    public func parameter(_ name: String) -> String? {
        let lower = name.lowercased()
        if let plain = parameters.first(where: { $0.name.lowercased() == lower }) { return plain.value }
        if let extended = parameters.first(where: { $0.name.lowercased() == lower + "*" }) {
            return RFC2231.decodedValue(extended.value)
        }
        return nil
    }

    /// RFC 2045 tspecials.
    private static let tspecials: Set<Character> = ["(", ")", "<", ">", "@", ",", ";", ":", "\\", "/", "[", "]", "?", "="]

    /// Parses a Content-Type; nil when there is no valid `type/subtype` (RFC 2045 §5.2 then
    /// says to assume text/plain).
    public static func contentType(_ text: String) -> MIMEFieldValue? {
        let tokens = HeaderToken.lex(text, specials: tspecials)
        guard tokens.count >= 3, case .word(let type) = tokens[0], tokens[1] == .special("/"),
              case .word(let subtype) = tokens[2] else { return nil }
        return MIMEFieldValue(value: type.lowercased(), subtype: subtype.lowercased(),
                              parameters: RFC2231.merge(parameters(tokens[3...])))
    }

    /// Parses a Content-Disposition; nil without a disposition type.
    public static func disposition(_ text: String) -> MIMEFieldValue? {
        let tokens = HeaderToken.lex(text, specials: tspecials)
        guard let first = tokens.first, case .word(let kind) = first else { return nil }
        return MIMEFieldValue(value: kind.lowercased(), subtype: "", parameters: RFC2231.merge(parameters(tokens[1...])))
    }

    /// `*(";" attribute "=" value)`; malformed parameters are skipped.
    private static func parameters(_ tokens: ArraySlice<HeaderToken>) -> [BodyParameter] {
        var result: [BodyParameter] = []
        var index = tokens.startIndex
        while index < tokens.endIndex {
            guard tokens[index] == .special(";") else { index += 1; continue }
            index += 1
            guard index < tokens.endIndex, case .word(let name) = tokens[index],
                  index + 1 < tokens.endIndex, tokens[index + 1] == .special("=") else { continue }
            index += 2
            var value = ""
            // Leniency: an unquoted value containing tspecials (e.g. boundary=a/b=c) is
            // rejoined up to the next ";".
            while index < tokens.endIndex, tokens[index] != .special(";") {
                switch tokens[index] {
                case .word(let text), .quoted(let text): value += text
                case .special(let character): value.append(character)
                case .comment: break
                }
                index += 1
            }
            if result.count < 100 { result.append(BodyParameter(name, value)) }
        }
        return result
    }
}
