/// Keywords are atoms (RFC 3501 §9 flag-keyword = atom); they are stored space-separated.
enum Keywords {
    static func validate(_ k: String) throws(MailStoreError) {
        guard !k.isEmpty, k.utf8.count <= MailStoreLimits.maxKeywordBytes, !k.hasPrefix("\\") else { throw .invalidKeyword(k) }
        for b in k.utf8 {
            // atom-specials: ( ) { SP CTL % * " \ ]  — and non-ASCII is not an atom either.
            if b <= 0x20 || b >= 0x7F || "(){%*\"\\]".utf8.contains(b) { throw .invalidKeyword(k) }
        }
    }

    /// Union keeping the first spelling; keywords compare case-insensitively.
    static func merge(_ a: [String], _ b: [String]) -> [String] {
        var out = a
        var seen = Set(a.map { $0.lowercased() })
        for k in b where seen.insert(k.lowercased()).inserted { out.append(k) }
        return out
    }

    static func remove(_ a: [String], _ b: [String]) -> [String] {
        let drop = Set(b.map { $0.lowercased() })
        return a.filter { !drop.contains($0.lowercased()) }
    }

    static func encode(_ k: [String]) -> String? { k.isEmpty ? nil : k.joined(separator: " ") }
    static func decode(_ s: String?) -> [String] {
        guard let s, !s.isEmpty else { return [] }
        return s.split(separator: " ").map(String.init)
    }
}
