/// One SMTP reply: a three-digit code, an RFC 3463 enhanced status code (RFC 2034), and text.
/// Multi-line replies use `lines`; the encoder writes `250-` continuations and a final `250 `.
public struct SMTPReply: Sendable, Equatable, Error, CustomStringConvertible {
    public var code: Int
    public var enhanced: String?
    public var lines: [String]

    public init(_ code: Int, _ enhanced: String?, _ text: String) {
        self.code = code; self.enhanced = enhanced; self.lines = [text]
    }

    public init(_ code: Int, _ enhanced: String?, lines: [String]) {
        self.code = code; self.enhanced = enhanced; self.lines = lines.isEmpty ? [""] : lines
    }

    public var isPositive: Bool { code < 400 }
    public var isPermanentFailure: Bool { code >= 500 }

    /// Wire form, CRLF-terminated. The enhanced code is repeated on every line (RFC 2034 §4).
    public var encoded: String {
        var out = ""
        for (i, line) in lines.enumerated() {
            let sep = i == lines.count - 1 ? " " : "-"
            out += "\(code)\(sep)"
            if let enhanced { out += enhanced + (line.isEmpty ? "" : " ") }
            out += line + "\r\n"
        }
        return out
    }

    public var description: String { encoded.replacingOccurrences(of: "\r\n", with: " | ") }
}

/// The replies that appear in more than one place.
public extension SMTPReply {
    static let ok = SMTPReply(250, "2.0.0", "OK")
    static let badSequence = SMTPReply(503, "5.5.1", "Bad sequence of commands")
    static let syntax = SMTPReply(501, "5.5.4", "Syntax error in parameters or arguments")
    static let unrecognised = SMTPReply(500, "5.5.2", "Command not recognised")
    static let lineTooLong = SMTPReply(500, "5.5.2", "Line too long")
    static let tooManyErrors = SMTPReply(421, "4.7.0", "Too many errors, closing connection")
    static let timeout = SMTPReply(421, "4.4.2", "Timeout, closing connection")
    static let shuttingDown = SMTPReply(421, "4.3.2", "Service shutting down, try again later")
    static let tempFailure = SMTPReply(451, "4.3.0", "Local error in processing, message not accepted, try again later")
    static let tooBig = SMTPReply(552, "5.3.4", "Message size exceeds fixed maximum message size")
    static let relayDenied = SMTPReply(550, "5.7.1", "Relaying denied: this server only accepts mail for its own domains")
    static let noSuchUser = SMTPReply(550, "5.1.1", "No such user here")
    static let tooManyRecipients = SMTPReply(452, "4.5.3", "Too many recipients")
    /// RFC 3463 §3.3 X.2.2 mailbox full; 4xx: temporary, the sender keeps the message and retries.
    static let mailboxFull = SMTPReply(452, "4.2.2", "Mailbox full, try again later")
}
