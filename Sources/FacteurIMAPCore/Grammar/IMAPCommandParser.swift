import FacteurMIME

/// Parses complete command frames from `IMAPFramer` into `TaggedCommand`s.
///
/// Every entry point takes the bytes of one frame and either returns a value or throws an
/// `IMAPParseError` whose `reason` is fit for `BAD <reason>` and whose `tag` (if known) the
/// reply should carry.
public enum IMAPCommandParser {
    /// Parses `tag SP command CRLF`.
    public static func parse<C: Collection>(_ frame: C) throws(IMAPParseError) -> TaggedCommand where C.Element == UInt8 {
        var reader = IMAPReader(frame)
        guard !reader.atEnd else { throw reader.error("Empty command line") }
        let tagBytes = try reader.take("a tag", while: IMAPGrammar.isTagChar)
        guard tagBytes.count <= 64 else { throw reader.error("Tag too long") }
        let tag = String(decoding: tagBytes, as: UTF8.self)
        reader.tag = tag
        try reader.space()
        let command = try reader.command()
        try reader.expectEnd()
        return TaggedCommand(tag: tag, command: command)
    }

    /// The line that ends IDLE (RFC 2177 §3): `"DONE" CRLF`. Case-insensitive.
    public static func isIdleDone<C: Collection>(_ frame: C) -> Bool where C.Element == UInt8 {
        var reader = IMAPReader(frame)
        return reader.skipKeyword("DONE") && reader.atEnd
    }

    /// A SASL client response line (RFC 3501 §6.2.2): base64 text, or nil when the client
    /// cancelled with `*`. Throws if the line is not base64.
    public static func parseAuthenticationResponse<C: Collection>(_ frame: C) throws(IMAPParseError) -> [UInt8]? where C.Element == UInt8 {
        let reader = IMAPReader(frame)
        let line = Array(reader.bytes[0..<reader.end])
        if line == [UInt8(ascii: "*")] { return nil }
        guard let decoded = Base64.decode(line, strict: true) else {
            throw IMAPParseError("Invalid base64 in authentication response")
        }
        return decoded
    }

    /// Parses the `prefix` of `IMAPFrame.literalStart`: `tag SP "APPEND" SP mailbox
    /// [SP flag-list] [SP date-time] SP literal-header`.
    public static func parseAppendPrefix(_ prefix: [UInt8]) throws(IMAPParseError) -> AppendPrefix {
        var reader = IMAPReader(prefix)
        let tag = String(decoding: try reader.take("a tag", while: IMAPGrammar.isTagChar), as: UTF8.self)
        reader.tag = tag
        try reader.space()
        guard reader.skipKeyword("APPEND") else { throw reader.error("Expected APPEND") }
        let (mailbox, flags, date) = try reader.appendArguments()
        _ = reader.skip(UInt8(ascii: "~"))  // literal8 (RFC 3516 §4.4)
        try reader.expect(UInt8(ascii: "{"), "a literal")
        let size = Int(try reader.number("a literal size"))
        _ = reader.skip(UInt8(ascii: "+"))
        try reader.expect(UInt8(ascii: "}"), "'}'")
        try reader.expectEnd()
        return AppendPrefix(tag: tag, mailbox: mailbox, flags: flags, internalDate: date, literalSize: size)
    }

    /// Checks the `IMAPFrame.commandTail` after a streamed APPEND literal: only the line end
    /// may follow (MULTIAPPEND takes messages up to `IMAPLimits.streamingLiteralThreshold` only).
    public static func parseAppendTail(_ tail: [UInt8], tag: String) throws(IMAPParseError) {
        var reader = IMAPReader(tail)
        reader.tag = tag
        try reader.expectEnd()
    }
}

extension IMAPReader {
    mutating func command() throws(IMAPParseError) -> Command {
        let name = try keyword("a command name")
        switch name {
        case "CAPABILITY": return .capability
        case "NOOP": return .noop
        case "LOGOUT": return .logout
        case "STARTTLS": return .starttls
        case "AUTHENTICATE":
            try space()
            let mechanism = try atom("a SASL mechanism").uppercased()
            var initial: String?
            if peek == UInt8(ascii: " ") {
                try space()
                let text = try take("an initial response", while: { Base64.isAlphabet($0) || $0 == UInt8(ascii: "=") })
                initial = String(decoding: text, as: UTF8.self)
            }
            return .authenticate(mechanism: mechanism, initialResponse: initial)
        case "LOGIN":
            try space()
            let user = try astringText("a user name")
            try space()
            return .login(username: user, password: try astringText("a password"))
        case "SELECT", "EXAMINE":
            try space()
            let target = try mailbox()
            guard peek == UInt8(ascii: " ") else { return name == "SELECT" ? .select(target) : .examine(target) }
            return .selectWithParameters(target, try selectParameters(), readOnly: name == "EXAMINE")
        case "CREATE": try space(); return try createCommand(try mailbox())
        case "DELETE": try space(); return .delete(try mailbox())
        case "RENAME":
            try space()
            let from = try mailbox()
            try space()
            return .rename(from: from, to: try mailbox())
        case "SUBSCRIBE": try space(); return .subscribe(try mailbox())
        case "UNSUBSCRIBE": try space(); return .unsubscribe(try mailbox())
        case "LIST": return .list(try listCommand())
        case "LSUB":
            try space()
            let reference = String(decoding: try astring("a reference name"), as: UTF8.self)
            try space()
            return .lsub(reference: reference, pattern: try listMailbox())
        case "STATUS":
            try space()
            let name = try mailbox()
            try space()
            return .status(name, try statusAttributes())
        case "APPEND":
            let (mailbox, flags, date) = try appendArguments()
            return try appendCommand(mailbox, first: AppendMessage(flags: flags, internalDate: date, message: try appendMessageLiteral()))
        case "IDLE": return .idle
        case "NAMESPACE": return .namespace
        case "ID":
            try space()
            if skipKeyword("NIL") { return .id(nil) }
            let pairs = try idParameters()
            return .id(pairs)
        case "ENABLE":
            var capabilities: [String] = []
            repeat {
                try space()
                capabilities.append(try atom("a capability").uppercased())
                guard capabilities.count <= 50 else { throw error("Too many capabilities") }
            } while peek == UInt8(ascii: " ")
            return .enable(capabilities)
        case "COMPRESS": try space(); return .compress(try atom("a compression mechanism").uppercased())
        case "GETQUOTA": return try getQuotaArguments()
        case "GETQUOTAROOT": return try getQuotaRootArguments()
        case "SETQUOTA": return try setQuotaArguments()
        case "CHECK": return .check
        case "CLOSE": return .close
        case "UNSELECT": return .unselect
        case "EXPUNGE": return .expunge
        case "SEARCH": return try searchCommand(uid: false)
        case "SORT": return try sortCommand(uid: false)
        case "THREAD": return try threadCommand(uid: false)
        case "FETCH": return try fetch(uid: false)
        case "STORE": return try store(uid: false)
        case "COPY": return try copyOrMove(uid: false, move: false)
        case "MOVE": return try copyOrMove(uid: false, move: true)
        case "UID":
            try space()
            let sub = try keyword("a UID command")
            switch sub {
            case "FETCH": return try fetch(uid: true)
            case "STORE": return try store(uid: true)
            case "COPY": return try copyOrMove(uid: true, move: false)
            case "MOVE": return try copyOrMove(uid: true, move: true)
            case "SEARCH": return try searchCommand(uid: true)
            case "SORT": return try sortCommand(uid: true)
            case "THREAD": return try threadCommand(uid: true)
            case "EXPUNGE": try space(); return .uidExpunge(try sequenceSet())
            default: throw error("Unknown UID command \(sub)")
            }
        default:
            throw error("Unknown command \(name)")
        }
    }

    /// `append = "APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal` up to the literal.
    mutating func appendArguments() throws(IMAPParseError) -> (IMAPMailboxName, [Flag], IMAPDateTime?) {
        try space()
        let name = try mailbox()
        try space()
        var flags: [Flag] = []
        if peek == UInt8(ascii: "(") {
            flags = try flagList()
            try space()
        }
        var date: IMAPDateTime?
        if peek == UInt8(ascii: "\"") {
            date = try dateTime()
            try space()
        }
        guard peek == UInt8(ascii: "{") || peek == UInt8(ascii: "~") else { throw error("Expected the message literal") }
        return (name, flags, date)
    }

    /// `id-params-list = "(" *(string SP nstring) ")"` (RFC 2971 §4)
    mutating func idParameters() throws(IMAPParseError) -> [IDParameter] {
        try parenthesizedList(allowEmpty: true, limit: IMAPLimits.maxIDPairs) { (reader: inout IMAPReader) throws(IMAPParseError) in
            let key = String(decoding: try reader.string(), as: UTF8.self)
            try reader.space()
            let value = try reader.nstring().map { String(decoding: $0, as: UTF8.self) }
            return IDParameter(key: key, value: value)
        }
    }

    mutating func fetch(uid: Bool) throws(IMAPParseError) -> Command {
        try space()
        let set = try sequenceSet()
        try space()
        var attributes = try fetchAttributes()
        // RFC 3501 §6.4.8: UID FETCH always returns UID.
        if uid && !attributes.contains(.uid) { attributes.append(.uid) }
        if peek == UInt8(ascii: " ") { return .fetchWithModifiers(set, attributes, try fetchModifiers(), uid: uid) }
        return .fetch(set, attributes, uid: uid)
    }

    /// `store = "STORE" SP sequence-set SP store-att-flags`
    /// `store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))`
    mutating func store(uid: Bool) throws(IMAPParseError) -> Command {
        try space()
        let set = try sequenceSet()
        try space()
        let unchangedSince = peek == UInt8(ascii: "(") ? try storeModifiers() : nil
        var mode = StoreAction.Mode.replace
        if skip(UInt8(ascii: "+")) { mode = .add } else if skip(UInt8(ascii: "-")) { mode = .remove }
        let word = String(decoding: try take("FLAGS", while: { IMAPGrammar.isAtomChar($0) }), as: UTF8.self).uppercased()
        let silent: Bool
        switch word {
        case "FLAGS": silent = false
        case "FLAGS.SILENT": silent = true
        default: throw error("Expected FLAGS or FLAGS.SILENT")
        }
        try space()
        var flags: [Flag]
        if peek == UInt8(ascii: "(") {
            flags = try flagList()
        } else {
            flags = [try flag()]
            while peek == UInt8(ascii: " ") {
                try space()
                if atEnd { break }
                guard flags.count < IMAPLimits.maxFlags else { throw error("Too many flags") }
                flags.append(try flag())
            }
        }
        return .store(set, StoreAction(mode: mode, silent: silent, flags: flags, unchangedSince: unchangedSince), uid: uid)
    }

    mutating func copyOrMove(uid: Bool, move: Bool) throws(IMAPParseError) -> Command {
        try space()
        let set = try sequenceSet()
        try space()
        let target = try mailbox()
        return move ? .move(set, target, uid: uid) : .copy(set, target, uid: uid)
    }
}
