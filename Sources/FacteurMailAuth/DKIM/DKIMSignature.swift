import Foundation

/// A parsed DKIM-Signature header field (RFC 6376 §3.5).
public struct DKIMSignature: Sendable, Hashable {
    public enum Algorithm: String, Sendable, Hashable {
        case rsaSHA256 = "rsa-sha256"
        /// RFC 8301 §3.1: must not be used; reported as a policy failure, never verified.
        case rsaSHA1 = "rsa-sha1"
        /// RFC 8463 §3.
        case ed25519SHA256 = "ed25519-sha256"
    }

    public enum Canonicalization: String, Sendable, Hashable {
        case simple, relaxed
    }

    public var algorithm: Algorithm
    public var signature: [UInt8]
    public var bodyHash: [UInt8]
    public var headerCanonicalization: Canonicalization
    public var bodyCanonicalization: Canonicalization
    /// d=, lowercased.
    public var domain: String
    public var selector: String
    /// h=, lowercased, in order.
    public var signedFields: [String]
    public var identity: String
    public var bodyLength: Int?
    public var timestamp: Int?
    public var expiration: Int?
    /// The b= text as written (for the header.b prefix, RFC 6008).
    public var signatureText: String

    /// Why a field could not be used: `permerror` with a reason, or `policy` (rsa-sha1).
    public struct Problem: Error, Sendable, Hashable {
        public var result: DKIMResult
        public var reason: String
        /// What could be read of the signature before the problem.
        public var domain: String
        public var selector: String
    }

    /// Parses the value of a DKIM-Signature field.
    public static func parse(_ value: String) -> Result<DKIMSignature, Problem> {
        guard let tags = TagList(value) else {
            return .failure(Problem(result: .permerror, reason: "malformed tag list", domain: "", selector: ""))
        }
        let domain = (tags["d"] ?? "").lowercased()
        let selector = tags["s"] ?? ""
        func fail(_ reason: String, _ result: DKIMResult = .permerror) -> Result<DKIMSignature, Problem> {
            .failure(Problem(result: result, reason: reason, domain: domain, selector: selector))
        }
        // §6.1.1: required tags.
        for required in ["v", "a", "b", "bh", "d", "h", "s"] where tags[required] == nil {
            return fail("missing \(required)= tag")
        }
        guard tags["v"] == "1" else { return fail("unsupported version v=\(tags["v"] ?? "")") }
        guard let algorithm = Algorithm(rawValue: (tags["a"] ?? "").lowercased()) else {
            return fail("unsupported algorithm a=\(tags["a"] ?? "")", .neutral)
        }
        if algorithm == .rsaSHA1 { return fail("rsa-sha1 is not accepted (RFC 8301)", .policy) }
        guard let signature = Data(base64Encoded: tags.compact("b") ?? ""), !signature.isEmpty,
              let bodyHash = Data(base64Encoded: tags.compact("bh") ?? ""), bodyHash.count == 32 else {
            return fail("b= or bh= is not valid base64")
        }
        var header = Canonicalization.simple, body = Canonicalization.simple
        if let c = tags["c"] {
            let parts = c.lowercased().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count <= 2, let h = Canonicalization(rawValue: parts[0]) else { return fail("bad c=\(c)") }
            header = h
            if parts.count == 2 {
                guard let b = Canonicalization(rawValue: parts[1]) else { return fail("bad c=\(c)") }
                body = b
            }
        }
        let fields = (tags["h"] ?? "").split(separator: ":").map { String($0).trimmingSpaces.lowercased() }
        guard fields.contains("from") else { return fail("h= does not sign From") }
        guard fields.count <= MailAuthLimits.dkimSignedFields else { return fail("h= lists too many fields") }
        guard SPFEvaluator.isValidDomain(domain) else { return fail("bad d=\(domain)") }
        // §3.5: i= defaults to @d; its domain must be d or a subdomain of d.
        let identity = tags["i"] ?? "@\(domain)"
        let identityDomain = identity.split(separator: "@", omittingEmptySubsequences: false).last.map { $0.lowercased() } ?? ""
        guard identity.contains("@"), identityDomain == domain || identityDomain.hasSuffix("." + domain) else {
            return fail("i= is not within d=")
        }
        if let q = tags["q"], !q.lowercased().split(separator: ":").contains("dns/txt") { return fail("unsupported q=\(q)") }
        var bodyLength: Int?
        if let l = tags["l"] {
            guard l.count <= 76, l.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(l) else { return fail("bad l=") }
            bodyLength = n
        }
        func number(_ tag: String) -> Int? {
            guard let t = tags[tag], t.count <= 12, t.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(t)
        }
        if tags["t"] != nil, number("t") == nil { return fail("bad t=") }
        if tags["x"] != nil, number("x") == nil { return fail("bad x=") }
        if let t = number("t"), let x = number("x"), x < t { return fail("x= is before t=") }
        return .success(DKIMSignature(
            algorithm: algorithm, signature: Array(signature), bodyHash: Array(bodyHash),
            headerCanonicalization: header, bodyCanonicalization: body, domain: domain, selector: selector,
            signedFields: fields, identity: identity, bodyLength: bodyLength, timestamp: number("t"),
            expiration: number("x"), signatureText: tags.compact("b") ?? ""))
    }
}
