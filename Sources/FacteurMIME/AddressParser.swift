/// Parses RFC 5322 §3.4 address lists into ENVELOPE addresses.
///
/// Leniencies (real mail is messy): an old-style `addr (Full Name)` comment becomes the
/// display name when there is none; an address without "@" gets the host
/// `AddressParser.missingHost` (ENVELOPE needs a non-NIL host for a mailbox); an unterminated
/// group or angle address ends at the end of the field.
public enum AddressParser {
    /// Host placed in addresses that lack a domain.
    public static let missingHost = "MISSING_DOMAIN"

    private static let specials: Set<Character> = ["<", ">", ":", ";", "@", ","]

    public static func parse(_ value: String) -> [EnvelopeAddress] {
        let tokens = HeaderToken.lex(value, specials: specials)
        var result: [EnvelopeAddress] = []
        var index = 0
        while index < tokens.count, result.count < MIMELimits.maxAddresses {
            if tokens[index] == .special(",") { index += 1; continue }
            var look = index
            while look < tokens.count, !isOneOf(tokens[look], [":", "<", "@", ",", ";"]) { look += 1 }
            if look < tokens.count, tokens[look] == .special(":") {
                result.append(.groupStart(phrase(tokens[index..<look]) ?? ""))
                index = look + 1
                while index < tokens.count, result.count < MIMELimits.maxAddresses {
                    if tokens[index] == .special(",") { index += 1; continue }
                    if tokens[index] == .special(";") { index += 1; break }
                    if let address = mailbox(tokens, &index) { result.append(address) }
                }
                result.append(.groupEnd)
            } else if let address = mailbox(tokens, &index) {
                result.append(address)
            }
        }
        return result
    }

    private static func isOneOf(_ token: HeaderToken, _ characters: [Character]) -> Bool {
        if case .special(let character) = token { return characters.contains(character) }
        return false
    }

    /// One mailbox, ending before a top-level "," or ";". Always consumes at least one token.
    private static func mailbox(_ tokens: [HeaderToken], _ index: inout Int) -> EnvelopeAddress? {
        let start = index
        var inAngle = false
        while index < tokens.count {
            let token = tokens[index]
            if token == .special("<") { inAngle = true }
            if token == .special(">") { inAngle = false }
            if !inAngle && isOneOf(token, [",", ";"]) { break }
            index += 1
        }
        if index == start { index += 1; return nil }
        let slice = tokens[start..<index]
        var name: String?
        var route: String?
        var addressTokens: ArraySlice<HeaderToken>
        let angle = slice.firstIndex(of: .special("<"))
        if let open = angle {
            name = phrase(slice[start..<open])
            let close = slice[open...].firstIndex(of: .special(">")) ?? slice.endIndex
            addressTokens = slice[(open + 1)..<close]
            // Obsolete source route "@a,@b:" before the addr-spec (RFC 5322 §4.4): ENVELOPE's
            // adl field (RFC 3501 §7.4.2), as Dovecot reports it.
            if let colon = addressTokens.lastIndex(of: .special(":")) {
                let routeText = text(addressTokens[..<colon])
                route = routeText.isEmpty ? nil : routeText
                addressTokens = addressTokens[(colon + 1)...]
            }
        } else {
            addressTokens = slice
            for token in slice { if case .comment(let text) = token, name == nil, !text.isEmpty { name = text } }
        }
        let parts = addressTokens.filter { if case .comment = $0 { return false }; return true }
        // Only comments (`group: (foo) ;`): no address at all, not one named after the comment.
        if parts.isEmpty && (name == nil || angle == nil) { return nil }
        if let at = parts.lastIndex(of: .special("@")) {
            let local = text(parts[parts.startIndex..<at])
            let host = text(parts[(at + 1)...])
            return EnvelopeAddress(name: name, adl: route, mailbox: local, host: host.isEmpty ? missingHost : host)
        }
        let local = text(parts[...])
        return EnvelopeAddress(name: name, adl: route, mailbox: local, host: local.isEmpty ? "" : missingHost)
    }

    /// An address header as SEARCH FROM / TO / CC / BCC compare it (RFC 3501 §6.4.4, as
    /// Dovecot does): each address rewritten as `name <local@host>` without comments, folding
    /// or route, groups as `group: …;`, joined by ", ". `<user (x)@ (y) domain.org>` reads
    /// `user@domain.org`.
    public static func searchText(_ value: String) -> String {
        var out: [String] = []
        var group: [String]?
        var groupName = ""
        for address in parse(value) {
            if address.host == nil {
                if let mailbox = address.mailbox {
                    group = []; groupName = mailbox
                } else if let members = group {
                    out.append(groupName + ": " + members.joined(separator: ", ") + ";")
                    group = nil
                }
                continue
            }
            var spec = address.mailbox ?? ""
            if let host = address.host, !host.isEmpty, host != missingHost { spec += "@" + host }
            let entry = address.name.map { "\($0) <\(spec)>" } ?? spec
            if group != nil { group?.append(entry) } else { out.append(entry) }
        }
        return out.joined(separator: ", ")
    }

    /// Display name: words joined by single spaces, quoted strings unquoted.
    private static func phrase(_ tokens: ArraySlice<HeaderToken>) -> String? {
        var words: [String] = []
        for token in tokens {
            switch token {
            case .word(let text), .quoted(let text): words.append(text)
            case .special(let character): words.append(String(character))
            case .comment: continue
            }
        }
        let joined = words.joined(separator: " ")
        return joined.isEmpty ? nil : joined
    }

    /// addr-spec pieces concatenated without spaces; quoted local parts keep their quotes.
    private static func text(_ tokens: ArraySlice<HeaderToken>) -> String {
        var result = ""
        for token in tokens {
            switch token {
            case .word(let text): result += text
            case .quoted(let text): result += "\"" + text + "\""
            case .special(let character): result.append(character)
            case .comment: continue
            }
        }
        return result
    }
}
