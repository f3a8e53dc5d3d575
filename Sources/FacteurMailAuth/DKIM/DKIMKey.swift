import Foundation

/// A DKIM public key record at `<selector>._domainkey.<domain>` (RFC 6376 §3.6.1).
public struct DKIMKey: Sendable, Hashable {
    public enum KeyType: String, Sendable, Hashable {
        case rsa
        case ed25519
    }

    public var type: KeyType
    /// The p= octets: SubjectPublicKeyInfo or RSAPublicKey DER for RSA, 32 raw octets for Ed25519.
    public var publicKey: [UInt8]
    /// h= hash algorithms allowed (empty: any).
    public var hashes: [String]
    /// t=y: the domain is testing (results are still reported).
    public var testing: Bool
    /// t=s: i= must use exactly d=, not a subdomain.
    public var strict: Bool

    public enum Problem: Error, Sendable, Hashable {
        case revoked
        case invalid(String)
    }

    public static func parse(_ text: String) -> Result<DKIMKey, Problem> {
        guard let tags = TagList(text) else { return .failure(.invalid("malformed key record")) }
        // §3.6.1: v= is optional, but when present it must come first and be DKIM1.
        if let v = tags["v"] {
            guard v == "DKIM1", tags.tags.first?.name == "v" else { return .failure(.invalid("bad v= in key record")) }
        }
        guard let type = KeyType(rawValue: (tags["k"] ?? "rsa").lowercased()) else {
            return .failure(.invalid("unknown key type k=\(tags["k"] ?? "")"))
        }
        guard let p = tags.compact("p") else { return .failure(.invalid("no p= in key record")) }
        guard !p.isEmpty else { return .failure(.revoked) }
        guard let key = Data(base64Encoded: p) else { return .failure(.invalid("p= is not base64")) }
        if let s = tags["s"] {
            let services = s.split(separator: ":").map { String($0).trimmingSpaces }
            guard services.contains("*") || services.contains("email") else { return .failure(.invalid("key is not for email")) }
        }
        let flags = (tags["t"] ?? "").split(separator: ":").map { String($0).trimmingSpaces.lowercased() }
        let hashes = (tags["h"] ?? "").split(separator: ":").map { String($0).trimmingSpaces.lowercased() }
        return .success(DKIMKey(type: type, publicKey: Array(key), hashes: hashes, testing: flags.contains("y"),
                                strict: flags.contains("s")))
    }
}
