/// Rules for the addresses Facteur creates users and aliases for. Local parts are restricted to
/// characters that are safe as a directory name, so a mailbox path can never escape its domain.
public enum LocalAddress {
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// Lower-cased `local@domain`, validated; the domain must be one of `domains`.
    public static func validate(_ text: String, domains: [String]) throws -> (local: String, domain: String) {
        let t = text.lowercased()
        let parts = t.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw Invalid(description: "'\(text)' is not an address like name@\(domains.first ?? "example.com")") }
        let local = String(parts[0]), domain = String(parts[1])
        guard !local.isEmpty, local.count <= 64,
              local.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._+-".contains($0)) }),
              !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            throw Invalid(description: "the name before @ may use a-z, 0-9, '.', '_', '+' and '-' (not at the start or end, no '..')")
        }
        guard domains.contains(domain) else {
            throw Invalid(description: "'\(domain)' is not one of this server's domains (\(domains.joined(separator: ", ")))")
        }
        return (local, domain)
    }
}
