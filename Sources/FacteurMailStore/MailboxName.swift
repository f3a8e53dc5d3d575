/// A validated mailbox name.
///
/// The API speaks UTF-8 names with `/` as the hierarchy separator (the IMAP layer decodes
/// modified UTF-7 and its own delimiter). On disk Maildir++ keeps every folder as a sibling
/// directory `.A.B` of the INBOX Maildir, so `.` separates levels there. Rather than encoding,
/// a `.` inside a component is refused; together with the other rules this makes the mapping
/// name ⇄ directory one-to-one and keeps every path inside the owner's directory:
///
/// - not empty, at most `MailStoreLimits.maxMailboxNameBytes` bytes and
///   `maxMailboxDepth` levels;
/// - no empty component (leading, trailing or doubled `/`);
/// - no `.` in a component (so no `..`, no leading dot, no `.A` smuggled into a level);
/// - no NUL or other control character (C0, DEL, C1), no `\`;
/// - no IMAP LIST wildcards `*` `%` (RFC 3501 §6.3.8 — such names could not be listed exactly).
///
/// INBOX is case-insensitive (RFC 3501 §5.1) as the first level: `inbox/Sub` is `INBOX/Sub`.
/// Names are stored in UTF-8 on disk, not in Dovecot's default modified UTF-7: ASCII names are
/// shared with Dovecot, others are not.
public struct MailboxName: Hashable, Sendable, CustomStringConvertible, Comparable {
    public let components: [String]

    /// The name as the API and the index spell it (`INBOX`, `Sent`, `Work/2024`).
    public var canonical: String { components.joined(separator: "/") }
    public var description: String { canonical }
    public var isInbox: Bool { components == ["INBOX"] }

    public static let inbox = MailboxName(unchecked: ["INBOX"])

    init(unchecked components: [String]) { self.components = components }

    public init(_ name: String) throws(MailStoreError) {
        func refuse(_ why: String) -> MailStoreError { .invalidName(name, reason: why) }
        if name.isEmpty { throw refuse("empty") }
        if name.utf8.count > MailStoreLimits.maxMailboxNameBytes { throw refuse("longer than \(MailStoreLimits.maxMailboxNameBytes) bytes") }
        var parts = name.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.count > MailStoreLimits.maxMailboxDepth { throw refuse("deeper than \(MailStoreLimits.maxMailboxDepth) levels") }
        for p in parts {
            if p.isEmpty { throw refuse("empty hierarchy level") }
            for s in p.unicodeScalars {
                switch s.value {
                case 0: throw refuse("NUL character")
                case 0x01...0x1F, 0x7F, 0x80...0x9F: throw refuse("control character")
                case 0x2E: throw refuse("'.' inside a level (it separates levels on disk)")
                case 0x5C: throw refuse("'\\'")
                case 0x2A, 0x25: throw refuse("wildcard '*' or '%'")
                default: break
                }
            }
        }
        if parts[0].uppercased() == "INBOX" { parts[0] = "INBOX" }
        components = parts
    }

    /// The directory name under the owner's Maildir (`.A.B`), nil for INBOX (the Maildir root).
    public var directoryName: String? {
        isInbox ? nil : "." + components.joined(separator: ".")
    }

    /// The name of a Maildir++ folder directory (`.A.B`), nil when it is not one we can serve.
    public init?(directoryName d: String) {
        guard d.hasPrefix("."), d.count > 1 else { return nil }
        let inner = d.dropFirst().split(separator: ".", omittingEmptySubsequences: false).joined(separator: "/")
        guard let n = try? MailboxName(inner), !n.isInbox else { return nil }
        self = n
    }

    public var parent: MailboxName? {
        components.count > 1 ? MailboxName(unchecked: Array(components.dropLast())) : nil
    }

    /// All proper ancestors, outermost first (`A/B/C` → `A`, `A/B`).
    public var ancestors: [MailboxName] {
        (1..<max(components.count, 1)).map { MailboxName(unchecked: Array(components.prefix($0))) }
    }

    /// True when `self` is strictly below `other`.
    public func isInferior(of other: MailboxName) -> Bool {
        components.count > other.components.count && Array(components.prefix(other.components.count)) == other.components
    }

    /// `self` moved from below `old` to below `new` (RFC 3501 §6.3.5 renames inferiors too).
    func reparented(from old: MailboxName, to new: MailboxName) -> MailboxName {
        MailboxName(unchecked: new.components + components.dropFirst(old.components.count))
    }

    public static func < (a: MailboxName, b: MailboxName) -> Bool {
        if a.isInbox != b.isInbox { return a.isInbox }
        return a.components.lexicographicallyPrecedes(b.components)
    }
}
