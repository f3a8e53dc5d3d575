/// An RFC 5321 mailbox: `local-part@domain`, as it travels in MAIL FROM and RCPT TO.
///
/// The parser is strict where leniency would let a path relay (source routes are dropped,
/// `%` and `!` stay inside the local part, address literals are never local), and lenient
/// only where real clients differ harmlessly (a space after the colon, case).
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The local part, with quoting removed (`"a b"@x` has local part `a b`).
    public var localPart: String
    /// Lower-cased domain, or the bracketed literal (`[192.0.2.1]`) as given.
    public var domain: String
    public var isAddressLiteral: Bool { domain.hasPrefix("[") }

    public init(localPart: String, domain: String) {
        self.localPart = localPart
        self.domain = domain.hasPrefix("[") ? domain : domain.lowercased()
    }

    /// Canonical text: the local part quoted only if it is not a dot-string.
    public var description: String {
        let lp = MailAddress.isDotString(localPart, utf8Allowed: true) ? localPart : MailAddress.quote(localPart)
        return "\(lp)@\(domain)"
    }

    /// Form used to look the address up: lower-cased local part and domain.
    public var lookupKey: String { "\(localPart.lowercased())@\(domain)" }

    static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s {
            if ch == "\"" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out + "\""
    }

    /// RFC 5322 atext (and, with SMTPUTF8, any non-ASCII scalar: RFC 6531 §3.3).
    static func isAtext(_ u: Unicode.Scalar, utf8Allowed: Bool) -> Bool {
        if u.value >= 0x80 { return utf8Allowed }
        switch u {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        default: return "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(u)
        }
    }

    static func isDotString(_ s: String, utf8Allowed: Bool) -> Bool {
        if s.isEmpty { return false }
        var previousDot = true
        for u in s.unicodeScalars {
            if u == "." {
                if previousDot { return false }
                previousDot = true
            } else if isAtext(u, utf8Allowed: utf8Allowed) {
                previousDot = false
            } else {
                return false
            }
        }
        return !previousDot
    }
}

/// What a `<…>` path in MAIL or RCPT holds.
public enum SMTPPath: Sendable, Hashable {
    /// `<>`: the null reverse-path of bounces (MAIL only).
    case null
    /// `<postmaster>` without a domain (RCPT only, RFC 5321 §4.1.1.3).
    case postmaster
    case mailbox(MailAddress)
}

public enum AddressParseError: Error, Equatable, Sendable {
    case missingBrackets
    case empty
    case badLocalPart
    case badDomain
    case nonASCIIWithoutSMTPUTF8
    case trailingGarbage

    public var reply: SMTPReply {
        switch self {
        case .missingBrackets: return SMTPReply(501, "5.5.4", "Syntax: address must be enclosed in <>")
        case .empty: return SMTPReply(501, "5.1.3", "Empty address not allowed here")
        case .badLocalPart: return SMTPReply(501, "5.1.3", "Bad address syntax (local part)")
        case .badDomain: return SMTPReply(501, "5.1.3", "Bad address syntax (domain)")
        case .nonASCIIWithoutSMTPUTF8: return SMTPReply(553, "5.6.7", "Non-ASCII address requires SMTPUTF8")
        case .trailingGarbage: return SMTPReply(501, "5.5.4", "Syntax error after address")
        }
    }
}

public enum SMTPAddressParser {
    /// Parses `<path> [params]` as found after `MAIL FROM:` / `RCPT TO:`.
    /// Returns the path and the remainder of the line (the ESMTP parameters, unparsed).
    /// - `utf8Allowed`: SMTPUTF8 was given on MAIL (RFC 6531).
    public static func parsePath(_ text: Substring, utf8Allowed: Bool) -> Result<(SMTPPath, Substring), AddressParseError> {
        var s = text
        // Lenient: "MAIL FROM: <a@b>" (space after colon) is common and harmless.
        while s.first == " " { s.removeFirst() }
        guard s.first == "<" else { return .failure(.missingBrackets) }
        s.removeFirst()
        // Find the closing '>' outside quotes.
        var inQuote = false, escaped = false
        var end: Substring.Index? = nil
        var i = s.startIndex
        while i < s.endIndex {
            let c = s[i]
            if escaped { escaped = false }
            else if c == "\\" && inQuote { escaped = true }
            else if c == "\"" { inQuote.toggle() }
            else if c == ">" && !inQuote { end = i; break }
            i = s.index(after: i)
        }
        guard let close = end else { return .failure(.missingBrackets) }
        var inner = s[s.startIndex..<close]
        let rest = s[s.index(after: close)...]
        if !rest.isEmpty && rest.first != " " { return .failure(.trailingGarbage) }
        let params = rest.drop(while: { $0 == " " })

        if inner.isEmpty { return .success((.null, params)) }
        // RFC 5321 §4.1.2 A-d-l: source routes are accepted and ignored (§C, §3.3): never relay on them.
        if inner.first == "@" {
            guard let colon = inner.firstIndex(of: ":") else { return .failure(.badDomain) }
            let route = inner[inner.index(after: inner.startIndex)..<colon]
            for hop in route.split(separator: ",", omittingEmptySubsequences: false) {
                var h = hop
                if h.first == "@" { h.removeFirst() }
                guard isDomain(h) else { return .failure(.badDomain) }
            }
            inner = inner[inner.index(after: colon)...]
        }
        if inner.caseInsensitiveCompare("postmaster") { return .success((.postmaster, params)) }
        switch parseMailbox(inner, utf8Allowed: utf8Allowed) {
        case .success(let m): return .success((.mailbox(m), params))
        case .failure(let e): return .failure(e)
        }
    }

    /// `Mailbox = Local-part "@" ( Domain / address-literal )`
    public static func parseMailbox(_ text: Substring, utf8Allowed: Bool) -> Result<MailAddress, AddressParseError> {
        if !utf8Allowed && text.unicodeScalars.contains(where: { $0.value >= 0x80 }) {
            return .failure(.nonASCIIWithoutSMTPUTF8)
        }
        var local = ""
        var idx = text.startIndex
        if text.first == "\"" {
            // Quoted-string: qtextSMTP / quoted-pairSMTP.
            idx = text.index(after: idx)
            var closed = false
            while idx < text.endIndex {
                let c = text[idx]
                if c == "\\" {
                    idx = text.index(after: idx)
                    guard idx < text.endIndex else { return .failure(.badLocalPart) }
                    let q = text[idx]
                    guard q.unicodeScalars.allSatisfy({ ($0.value >= 32 && $0.value <= 126) || ($0.value >= 0x80 && utf8Allowed) }) else {
                        return .failure(.badLocalPart)
                    }
                    local.append(q)
                } else if c == "\"" {
                    closed = true
                    idx = text.index(after: idx)
                    break
                } else {
                    guard c.unicodeScalars.allSatisfy({ ($0.value >= 32 && $0.value <= 126) || ($0.value >= 0x80 && utf8Allowed) }) else {
                        return .failure(.badLocalPart)
                    }
                    local.append(c)
                }
                idx = text.index(after: idx)
            }
            guard closed, idx < text.endIndex, text[idx] == "@" else { return .failure(.badLocalPart) }
        } else {
            guard let at = text.lastIndex(of: "@") else { return .failure(.badDomain) }
            local = String(text[text.startIndex..<at])
            guard MailAddress.isDotString(local, utf8Allowed: utf8Allowed) else { return .failure(.badLocalPart) }
            idx = at
        }
        // RFC 5321 §4.5.3.1.1: local part at most 64 octets.
        guard !local.isEmpty || text.first == "\"", local.utf8.count <= 64 else { return .failure(.badLocalPart) }
        let domainText = text[text.index(after: idx)...]
        if domainText.first == "[" {
            guard isAddressLiteral(domainText) else { return .failure(.badDomain) }
            return .success(MailAddress(localPart: local, domain: String(domainText)))
        }
        guard isDomain(domainText, utf8Allowed: utf8Allowed) else { return .failure(.badDomain) }
        return .success(MailAddress(localPart: local, domain: String(domainText)))
    }

    /// `Domain = sub-domain *("." sub-domain)`; a trailing dot is not part of the grammar and is refused.
    public static func isDomain(_ s: Substring, utf8Allowed: Bool = false) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 255 else { return false }
        let labels = s.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty, label.utf8.count <= 63 else { return false }
            guard label.first != "-", label.last != "-" else { return false }
            for u in label.unicodeScalars {
                switch u {
                case "a"..."z", "A"..."Z", "0"..."9", "-": continue
                default:
                    if u.value >= 0x80 && utf8Allowed { continue }
                    return false
                }
            }
        }
        return true
    }

    /// `address-literal = "[" ( IPv4 / "IPv6:" IPv6 / General ) "]"` — checked loosely for shape only;
    /// an address literal is never a local domain, so it can only ever be refused as relaying.
    static func isAddressLiteral(_ s: Substring) -> Bool {
        guard s.count >= 3, s.first == "[", s.last == "]" else { return false }
        let body = s.dropFirst().dropLast()
        return body.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && $0 != "[" && $0 != "]" && $0 != "\\" }
    }
}

extension Substring {
    func caseInsensitiveCompare(_ other: String) -> Bool {
        self.count == other.count && self.lowercased() == other.lowercased()
    }
}
