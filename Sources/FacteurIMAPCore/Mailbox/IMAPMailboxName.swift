/// A mailbox name as it travels on the wire: modified UTF-7, hierarchy separator "/"
/// (RFC 3501 §5.1). `INBOX` is case-insensitive and always stored as "INBOX".
public struct IMAPMailboxName: Hashable, Sendable, CustomStringConvertible {
    /// The hierarchy separator we announce in LIST.
    public static let separator: Character = "/"

    /// The name exactly as on the wire (modified UTF-7).
    public let wire: String

    public init(wire: String) {
        self.wire = wire.uppercased() == "INBOX" ? "INBOX" : wire
    }

    /// Builds the wire name for a human (Unicode) name.
    public init(displayName: String) {
        self.init(wire: ModifiedUTF7.encode(displayName))
    }

    public static let inbox = IMAPMailboxName(wire: "INBOX")

    public var isInbox: Bool { wire == "INBOX" }

    /// The Unicode name, or nil if the wire form is not valid modified UTF-7.
    public var displayName: String? { ModifiedUTF7.decode(wire) }

    public var description: String { wire }
}

extension IMAPReader {
    /// `mailbox = "INBOX" / astring`
    mutating func mailbox() throws(IMAPParseError) -> IMAPMailboxName {
        let bytes = try astring("a mailbox name")
        guard bytes.count <= IMAPLimits.maxMailboxNameLength else { throw error("Mailbox name too long") }
        return IMAPMailboxName(wire: String(decoding: bytes, as: UTF8.self))
    }

    /// `list-mailbox = 1*list-char / string`
    mutating func listMailbox() throws(IMAPParseError) -> String {
        let bytes: [UInt8]
        if peek == UInt8(ascii: "\"") || peek == UInt8(ascii: "{") {
            bytes = try string()
        } else {
            bytes = Array(try take("a mailbox pattern", while: IMAPGrammar.isListChar))
        }
        guard bytes.count <= IMAPLimits.maxMailboxNameLength else { throw error("Mailbox pattern too long") }
        return String(decoding: bytes, as: UTF8.self)
    }
}
