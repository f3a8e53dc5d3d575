/// The Authentication-Results header field (RFC 8601) this server prepends, and the removal of
/// fields that claim to come from it (§5: a field with our authserv-id is a forgery).
public struct AuthenticationResults: Sendable, Hashable {
    public var authservID: String
    public var spf: SPFOutcome?
    public var dkim: [DKIMOutcome]
    public var dmarc: DMARCOutcome?

    public init(authservID: String, spf: SPFOutcome?, dkim: [DKIMOutcome], dmarc: DMARCOutcome?) {
        self.authservID = authservID; self.spf = spf; self.dkim = dkim; self.dmarc = dmarc
    }

    /// The result clauses, e.g. `spf=pass smtp.mailfrom=example.com`.
    public var clauses: [String] {
        var out: [String] = []
        if let spf {
            var clause = "spf=\(spf.result.rawValue)"
            if let reason = spf.reason, spf.result != .pass { clause += " (\(Self.comment(reason)))" }
            clause += spf.identity == .mailfrom ? " smtp.mailfrom=\(Self.value(spf.domain))" : " smtp.helo=\(Self.value(spf.domain))"
            out.append(clause)
        }
        if dkim.isEmpty {
            out.append("dkim=none")
        }
        for signature in dkim {
            var clause = "dkim=\(signature.result.rawValue)"
            if let reason = signature.reason { clause += " (\(Self.comment(reason)))" }
            if !signature.domain.isEmpty { clause += " header.d=\(Self.value(signature.domain))" }
            if !signature.selector.isEmpty { clause += " header.s=\(Self.value(signature.selector))" }
            if let identity = signature.identity { clause += " header.i=\(Self.value(identity))" }
            if !signature.algorithm.isEmpty { clause += " header.a=\(signature.algorithm)" }
            if !signature.signaturePrefix.isEmpty { clause += " header.b=\(Self.value(signature.signaturePrefix))" }
            out.append(clause)
        }
        if let dmarc {
            var clause = "dmarc=\(dmarc.result.rawValue)"
            if let p = dmarc.publishedPolicy {
                clause += " (p=\(p.rawValue) dis=\(dmarc.disposition.rawValue))"
            } else if let reason = dmarc.reason, dmarc.result != .none {
                clause += " (\(Self.comment(reason)))"
            }
            if !dmarc.fromDomain.isEmpty { clause += " header.from=\(Self.value(dmarc.fromDomain))" }
            out.append(clause)
        }
        return out
    }

    /// The whole field, folded one clause per line, CRLF-terminated.
    public var field: String {
        let clauses = self.clauses
        guard !clauses.isEmpty else { return "Authentication-Results: \(authservID); none\r\n" }
        return "Authentication-Results: \(authservID);\r\n\t" + clauses.joined(separator: ";\r\n\t") + "\r\n"
    }

    /// A short verdict for one line of a display ("spf=pass dkim=pass dmarc=pass").
    public var summary: String {
        var parts: [String] = []
        if let spf { parts.append("spf=\(spf.result.rawValue)") }
        parts.append("dkim=\(dkim.first { $0.result == .pass }.map { _ in "pass" } ?? dkim.first?.result.rawValue ?? "none")")
        if let dmarc { parts.append("dmarc=\(dmarc.result.rawValue)") }
        return parts.joined(separator: " ")
    }

    /// RFC 8601 §2.2: a value is a token or a quoted-string.
    static func value(_ text: String) -> String {
        let special = Set("()<>@,;:\\\"/[]?= \t")
        let isToken = !text.isEmpty && text.allSatisfy { $0.isASCII && !special.contains($0) && $0 >= "!" && $0 <= "~" }
        // An address (local@domain) is allowed unquoted in smtp.mailfrom / header.i (§2.3).
        if isToken || (text.filter { $0 == "@" }.count == 1 && text.replacingOccurrences(of: "@", with: "").allSatisfy({ $0.isASCII && !special.contains($0) && $0 >= "!" && $0 <= "~" })) {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Text safe inside a comment: printable ASCII, parentheses and backslashes escaped.
    static func comment(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars.prefix(200) {
            guard scalar.value >= 0x20 && scalar.value < 0x7F else { out.append(" "); continue }
            if scalar == "(" || scalar == ")" || scalar == "\\" { out.append("\\") }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// The authserv-id of an Authentication-Results value (§2.2), comments skipped, lowercased.
    public static func authservID(ofValue value: String) -> String {
        var depth = 0, id = ""
        for c in value {
            if depth > 0 { if c == "(" { depth += 1 } else if c == ")" { depth -= 1 }; continue }
            if c == "(" { depth = 1; continue }
            if c == ";" || ((c == " " || c == "\t") && !id.isEmpty) { break }
            if c != " " && c != "\t" { id.append(c) }
        }
        return id.lowercased()
    }

    /// The header fields of `message` that must go (§5): Authentication-Results fields whose
    /// authserv-id is `authservID`. Byte ranges, in order.
    public static func forgedRanges(in message: [UInt8], authservID: String) -> [Range<Int>] {
        let id = authservID.lowercased()
        return MessageHeader(message).fields(named: "authentication-results")
            .filter { Self.authservID(ofValue: $0.value) == id }
            .map { $0.raw.startIndex..<$0.raw.endIndex }
    }

    /// `message` without the forged fields (a copy only when there is something to remove).
    public static func removingForged(from message: [UInt8], authservID: String) -> [UInt8] {
        let ranges = forgedRanges(in: message, authservID: authservID)
        guard !ranges.isEmpty else { return message }
        var out: [UInt8] = []
        out.reserveCapacity(message.count)
        var start = 0
        for range in ranges {
            out += message[start..<range.lowerBound]
            start = range.upperBound
        }
        out += message[start...]
        return out
    }
}
