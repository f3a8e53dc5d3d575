/// The IMAP system flags a message can carry (RFC 3501 §2.3.2), stored as a bitmask.
/// `\Recent` is not here: it belongs to a session, not to the message.
public struct MessageFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let seen = MessageFlags(rawValue: 1 << 0)
    public static let answered = MessageFlags(rawValue: 1 << 1)
    public static let flagged = MessageFlags(rawValue: 1 << 2)
    public static let deleted = MessageFlags(rawValue: 1 << 3)
    public static let draft = MessageFlags(rawValue: 1 << 4)

    public static let all: MessageFlags = [.seen, .answered, .flagged, .deleted, .draft]

    /// Flag, IMAP name, Maildir info letter (http://cr.yp.to/proto/maildir.html: "D" draft,
    /// "F" flagged, "R" replied, "S" seen, "T" trashed), in the ASCII order of the letters.
    static let table: [(MessageFlags, String, UInt8)] = [
        (.draft, "\\Draft", UInt8(ascii: "D")),
        (.flagged, "\\Flagged", UInt8(ascii: "F")),
        (.answered, "\\Answered", UInt8(ascii: "R")),
        (.seen, "\\Seen", UInt8(ascii: "S")),
        (.deleted, "\\Deleted", UInt8(ascii: "T")),
    ]

    /// IMAP names (`\Seen` …), in a fixed order.
    public var imapNames: [String] { Self.table.filter { contains($0.0) }.map(\.1) }
    public var description: String { imapNames.joined(separator: " ") }

    /// `\Seen` → `.seen` (case-insensitive, RFC 3501 §9 "flag" is case-insensitive).
    public init?(imapName: String) {
        let up = imapName.uppercased()
        guard let e = Self.table.first(where: { $0.1.uppercased() == up }) else { return nil }
        self = e.0
    }

    /// The Maildir letter for one flag byte, nil for letters this store does not map
    /// (e.g. "P" passed, Dovecot's lowercase keyword letters): those are kept as they are.
    static func flag(forLetter b: UInt8) -> MessageFlags? {
        table.first(where: { $0.2 == b })?.0
    }

    /// Our letters, sorted.
    var maildirLetters: [UInt8] { Self.table.filter { contains($0.0) }.map(\.2) }
}
