/// A DMARC policy record at `_dmarc.<domain>` (RFC 7489 §6.3).
public struct DMARCRecord: Sendable, Hashable {
    public enum Policy: String, Sendable, Hashable {
        case none, quarantine, reject
    }

    public enum Alignment: String, Sendable, Hashable {
        case relaxed = "r", strict = "s"
    }

    public var policy: Policy
    /// sp=: the policy for subdomains (defaults to p=).
    public var subdomainPolicy: Policy?
    public var dkimAlignment: Alignment
    public var spfAlignment: Alignment
    /// pct=: the percentage of failing messages the policy applies to (0…100).
    public var percent: Int

    /// True when `text` starts with "v=DMARC1" (§6.4: the first tag, exact case).
    public static func isDMARC(_ text: String) -> Bool {
        guard let tags = TagList(text), let first = tags.tags.first else {
            return text.trimmingSpaces.hasPrefix("v=DMARC1")
        }
        return first.name == "v" && first.value == "DMARC1"
    }

    /// Parses a record; nil when it is unusable (§6.6.3: then no policy applies).
    public init?(_ text: String) {
        guard Self.isDMARC(text), let tags = TagList(text) else { return nil }
        // §6.6.3: an invalid or missing p= with a valid rua= means p=none; without rua= the record is ignored.
        if let p = tags["p"].flatMap({ Policy(rawValue: $0.lowercased()) }) {
            policy = p
        } else if tags["rua"] != nil {
            policy = .none
        } else {
            return nil
        }
        subdomainPolicy = tags["sp"].flatMap { Policy(rawValue: $0.lowercased()) }
        dkimAlignment = tags["adkim"].flatMap { Alignment(rawValue: $0.lowercased()) } ?? .relaxed
        spfAlignment = tags["aspf"].flatMap { Alignment(rawValue: $0.lowercased()) } ?? .relaxed
        if let pct = tags["pct"], let n = Int(pct), (0...100).contains(n) { percent = n } else { percent = 100 }
    }
}
