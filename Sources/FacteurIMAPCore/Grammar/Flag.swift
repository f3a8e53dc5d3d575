/// A message flag (RFC 3501 §2.3.2): a system flag (`\Seen` …), a keyword (`$Forwarded`,
/// `Junk`) or an unknown `\Extension`. System flags compare case-insensitively and are stored
/// in their canonical spelling; keywords keep the client's spelling.
public struct Flag: Hashable, Sendable, CustomStringConvertible {
    public let raw: String

    public init(_ raw: String) {
        if raw.hasPrefix("\\"), let system = Flag.systemFlags.first(where: { $0.caseInsensitiveCompare(raw) }) {
            self.raw = system
        } else {
            self.raw = raw
        }
    }

    public static let seen = Flag("\\Seen")
    public static let answered = Flag("\\Answered")
    public static let flagged = Flag("\\Flagged")
    public static let deleted = Flag("\\Deleted")
    public static let draft = Flag("\\Draft")
    /// Session flag; clients can never set it (RFC 3501 §2.3.2).
    public static let recent = Flag("\\Recent")

    static let systemFlags = ["\\Seen", "\\Answered", "\\Flagged", "\\Deleted", "\\Draft", "\\Recent"]

    public var isSystem: Bool { raw.hasPrefix("\\") }

    /// True if the flag can be written as `flag` (or `flag-perm`'s `\*`) on the wire. Keywords
    /// read from storage are checked so a bad one cannot break a response line.
    public var isValidOnWire: Bool {
        if raw == "\\*" { return true }
        let name = raw.hasPrefix("\\") ? String(raw.dropFirst()) : raw
        return IMAPGrammar.isAtom(name)
    }
    public var description: String { raw }
}

private extension String {
    func caseInsensitiveCompare(_ other: String) -> Bool {
        self.lowercased() == other.lowercased()
    }
}

extension IMAPReader {
    /// `flag = "\Answered" / "\Flagged" / "\Deleted" / "\Seen" / "\Draft" / flag-keyword / flag-extension`
    /// `flag-extension = "\" atom`; `flag-keyword = atom`. `\Recent` is refused in STORE/APPEND
    /// by the session, not here.
    mutating func flag() throws(IMAPParseError) -> Flag {
        if skip(UInt8(ascii: "\\")) {
            return Flag("\\" + (try atom("a flag name")))
        }
        return Flag(try atom("a flag"))
    }

    /// `flag-list = "(" [flag *(SP flag)] ")"`
    mutating func flagList() throws(IMAPParseError) -> [Flag] {
        try parenthesizedList(allowEmpty: true, limit: IMAPLimits.maxFlags) { (reader: inout IMAPReader) throws(IMAPParseError) in
            try reader.flag()
        }
    }
}

extension IMAPWriter {
    /// `flag-list = "(" [flag *(SP flag)] ")"`; flags that cannot be sent are left out.
    mutating func flagList(_ flags: [Flag]) {
        list(flags.filter(\.isValidOnWire)) { $0.raw($1.raw) }
    }
}
