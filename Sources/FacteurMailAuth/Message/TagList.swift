/// A tag=value list (RFC 6376 §3.2), used by DKIM-Signature fields, DKIM keys and DMARC records.
///
///     tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
///     tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
///     tag-name  =  ALPHA *ALNUMPUNC
///
/// Values keep their inner whitespace (b= and p= are cleaned by their users); a tag given
/// twice makes the list invalid.
public struct TagList: Sendable, Hashable {
    public var tags: [(name: String, value: String)]

    public static func == (lhs: TagList, rhs: TagList) -> Bool {
        lhs.tags.map(\.name) == rhs.tags.map(\.name) && lhs.tags.map(\.value) == rhs.tags.map(\.value)
    }
    public func hash(into hasher: inout Hasher) {
        for tag in tags { hasher.combine(tag.name); hasher.combine(tag.value) }
    }

    public init?(_ text: String) {
        var tags: [(name: String, value: String)] = []
        var seen = Set<String>()
        for spec in text.split(separator: ";", omittingEmptySubsequences: false) {
            let trimmed = String(spec).trimmingSpaces
            if trimmed.isEmpty { continue }
            guard let eq = trimmed.firstIndex(of: "=") else { return nil }
            let name = String(trimmed[..<eq]).trimmingSpaces
            guard let first = name.first, first.isASCII, first.isLetter,
                  name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else { return nil }
            guard seen.insert(name).inserted else { return nil }
            tags.append((name, String(trimmed[trimmed.index(after: eq)...]).trimmingSpaces))
        }
        self.tags = tags
    }

    public subscript(name: String) -> String? {
        tags.first { $0.name == name }?.value
    }

    /// The value with every whitespace character removed (base64 in b=, bh=, p=).
    public func compact(_ name: String) -> String? {
        self[name].map { String($0.unicodeScalars.filter { !($0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n") }) }
    }
}
