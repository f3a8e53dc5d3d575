/// A command that does not match the grammar. The server replies `<tag> BAD <reason>`
/// (or `* BAD <reason>` when no tag could be read).
public struct IMAPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Syntax error: reply BAD.
        case syntax
        /// SEARCH CHARSET we cannot decode: reply `NO [BADCHARSET (UTF-8 US-ASCII)]` (RFC 3501 §6.4.4).
        case unsupportedCharset(String)
    }

    public var kind: Kind
    /// Human reason, safe to send to the client.
    public var reason: String
    /// The command's tag, when it was read before the error.
    public var tag: String?
    /// Byte offset of the error in the command.
    public var offset: Int

    public init(_ reason: String, kind: Kind = .syntax, tag: String? = nil, offset: Int = 0) {
        self.reason = reason; self.kind = kind; self.tag = tag; self.offset = offset
    }

    public var description: String { "\(reason) (at octet \(offset))" }
}
