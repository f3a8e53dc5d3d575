/// One message of an APPEND (RFC 3502 §6.3.11): `[SP flag-list] [SP date-time] SP literal`.
public struct AppendMessage: Hashable, Sendable {
    public var flags: [Flag]
    public var internalDate: IMAPDateTime?
    public var message: [UInt8]

    public init(flags: [Flag] = [], internalDate: IMAPDateTime? = nil, message: [UInt8]) {
        self.flags = flags; self.internalDate = internalDate; self.message = message
    }
}

/// MULTIAPPEND (RFC 3502): `append = "APPEND" SP mailbox 1*append-message`, with more than one
/// message, all stored or none.
public struct MultiAppendCommand: Hashable, Sendable {
    public var mailbox: IMAPMailboxName
    public var messages: [AppendMessage]

    public init(mailbox: IMAPMailboxName, messages: [AppendMessage]) {
        self.mailbox = mailbox; self.messages = messages
    }
}

extension IMAPReader {
    /// `append-message = SP [flag-list SP] [date-time SP] (literal / literal8)`, repeated until
    /// the line end; `first` is the message `appendArguments` already read.
    mutating func appendCommand(_ mailbox: IMAPMailboxName, first: AppendMessage) throws(IMAPParseError) -> Command {
        var messages = [first]
        while peek == UInt8(ascii: " ") {
            guard messages.count < IMAPLimits.maxAppendMessages else { throw error("More than \(IMAPLimits.maxAppendMessages) messages in one APPEND") }
            try space()
            var flags: [Flag] = []
            if peek == UInt8(ascii: "(") { flags = try flagList(); try space() }
            var date: IMAPDateTime?
            if peek == UInt8(ascii: "\"") { date = try dateTime(); try space() }
            messages.append(AppendMessage(flags: flags, internalDate: date, message: try appendMessageLiteral()))
        }
        guard messages.count > 1 else {
            return .append(AppendCommand(mailbox: mailbox, flags: first.flags, internalDate: first.internalDate, message: first.message))
        }
        return .multiAppend(MultiAppendCommand(mailbox: mailbox, messages: messages))
    }
}
