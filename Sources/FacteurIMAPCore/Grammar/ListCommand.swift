/// LIST with RFC 5258 extended arguments and the RFC 6154 SPECIAL-USE options.
public struct ListCommand: Hashable, Sendable {
    /// `list-select-opts` (RFC 5258 §6).
    public enum SelectOption: String, Hashable, Sendable, CaseIterable {
        case subscribed = "SUBSCRIBED"
        case remote = "REMOTE"
        case recursiveMatch = "RECURSIVEMATCH"
        case specialUse = "SPECIAL-USE"
    }

    /// `return-option` (RFC 5258 §6, RFC 6154 §5.2).
    public enum ReturnOption: String, Hashable, Sendable, CaseIterable {
        case subscribed = "SUBSCRIBED"
        case children = "CHILDREN"
        case specialUse = "SPECIAL-USE"
        /// RFC 5819 LIST-STATUS: `STATUS (status-att …)`, the attributes in `statusAttributes`.
        case status = "STATUS"
    }

    public var selectOptions: [SelectOption]
    /// The reference name (RFC 3501 §6.3.8), as on the wire.
    public var reference: String
    /// One or more `list-mailbox` patterns with `%` / `*` wildcards.
    public var patterns: [String]
    public var returnOptions: [ReturnOption]
    /// True when the client used any RFC 5258 syntax (then the reply may carry extended data).
    public var isExtended: Bool
    /// RFC 5819: the STATUS return option's attributes.
    public var statusAttributes: [StatusAttribute] = []

    public init(selectOptions: [SelectOption] = [], reference: String, patterns: [String],
                returnOptions: [ReturnOption] = [], isExtended: Bool = false) {
        self.selectOptions = selectOptions; self.reference = reference; self.patterns = patterns
        self.returnOptions = returnOptions; self.isExtended = isExtended
    }
}

extension IMAPReader {
    /// `list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]`
    /// — after "LIST".
    mutating func listCommand() throws(IMAPParseError) -> ListCommand {
        try space()
        var command = ListCommand(reference: "", patterns: [])
        if peek == UInt8(ascii: "(") {
            command.isExtended = true
            command.selectOptions = try parenthesizedList(allowEmpty: true, limit: 10) { (reader: inout IMAPReader) throws(IMAPParseError) in
                let word = try reader.keyword("a LIST selection option")
                guard let option = ListCommand.SelectOption(rawValue: word) else {
                    throw reader.error("Unknown LIST selection option \(word)")
                }
                return option
            }
            try space()
        }
        command.reference = String(decoding: try astring("a reference name"), as: UTF8.self)
        try space()
        if peek == UInt8(ascii: "(") {
            command.isExtended = true
            command.patterns = try parenthesizedList(limit: 100) { (reader: inout IMAPReader) throws(IMAPParseError) in
                try reader.listMailbox()
            }
        } else {
            command.patterns = [try listMailbox()]
        }
        if peek == UInt8(ascii: " ") {
            try space()
            if !atEnd {
                guard skipKeyword("RETURN") else { throw error("Expected RETURN") }
                command.isExtended = true
                try space()
                var statusAttributes: [StatusAttribute] = []
                command.returnOptions = try parenthesizedList(allowEmpty: true, limit: 10) { (reader: inout IMAPReader) throws(IMAPParseError) in
                    let word = try reader.keyword("a LIST return option")
                    guard let option = ListCommand.ReturnOption(rawValue: word) else {
                        throw reader.error("Unknown LIST return option \(word)")
                    }
                    if option == .status { try reader.space(); statusAttributes = try reader.statusAttributes() }
                    return option
                }
                command.statusAttributes = statusAttributes
            }
        }
        // RFC 5258 §3: RECURSIVEMATCH alone (or with only REMOTE) is an error.
        if command.selectOptions.contains(.recursiveMatch)
            && Set(command.selectOptions).subtracting([.recursiveMatch, .remote]).isEmpty {
            throw error("RECURSIVEMATCH needs another selection option")
        }
        return command
    }
}

extension IMAPReader {
    /// `"(" status-att *(SP status-att) ")"` (STATUS, and LIST's STATUS return option).
    mutating func statusAttributes() throws(IMAPParseError) -> [StatusAttribute] {
        try parenthesizedList(limit: 20) { (reader: inout IMAPReader) throws(IMAPParseError) in
            let word = try reader.keyword("a status attribute")
            guard let attribute = StatusAttribute(rawValue: word) else { throw reader.error("Unknown status attribute \(word)") }
            return attribute
        }
    }
}
