/// Writes commands in the grammar `IMAPCommandParser` reads: used for round-trip tests and by
/// anything in Facteur that acts as an IMAP client (benchmarks, probes).
extension IMAPWriter {
    public mutating func command(_ tagged: TaggedCommand) {
        raw(tagged.tag)
        space()
        let command = tagged.command
        switch command {
        case .capability, .noop, .logout, .starttls, .idle, .namespace, .check, .close, .unselect, .expunge:
            raw(command.name)
        case .authenticate(let mechanism, let initial):
            raw("AUTHENTICATE \(mechanism)")
            if let initial { raw(" \(initial)") }
        case .login(let user, let password):
            raw("LOGIN "); astring(user); space(); astring(password)
        case .select(let name), .examine(let name), .create(let name), .delete(let name),
             .subscribe(let name), .unsubscribe(let name):
            raw(command.name); space(); mailbox(name)
        case .rename(let from, let to):
            raw("RENAME "); mailbox(from); space(); mailbox(to)
        case .list(let list):
            raw("LIST ")
            if !list.selectOptions.isEmpty || (list.isExtended && list.returnOptions.isEmpty && list.patterns.count == 1) {
                self.list(list.selectOptions) { $0.raw($1.rawValue) }
                space()
            }
            astring(list.reference); space()
            if list.patterns.count == 1 { listPattern(list.patterns[0]) } else { self.list(list.patterns) { $0.listPattern($1) } }
            if !list.returnOptions.isEmpty {
                raw(" RETURN ")
                self.list(list.returnOptions) { $0.raw($1.rawValue) }
            }
        case .lsub(let reference, let pattern):
            raw("LSUB "); astring(reference); space(); listPattern(pattern)
        case .status(let name, let attributes):
            raw("STATUS "); mailbox(name); space()
            list(attributes) { $0.raw($1.rawValue) }
        case .append(let append):
            raw("APPEND "); mailbox(append.mailbox)
            if !append.flags.isEmpty { space(); flagList(append.flags) }
            if let date = append.internalDate { raw(" \"\(date)\"") }
            space(); literal(append.message)
        case .id(let parameters):
            raw("ID ")
            if let parameters {
                list(parameters) { writer, pair in writer.string(pair.key); writer.space(); writer.nstring(pair.value) }
            } else {
                raw("NIL")
            }
        case .enable(let capabilities):
            raw("ENABLE " + capabilities.joined(separator: " "))
        case .getQuota(let root), .setQuota(let root, _):
            raw(command.name); space(); astring(root)
            if case .setQuota(_, let limits) = command {
                space(); list(limits) { $0.raw("\($1.name) \($1.limit)") }
            }
        case .getQuotaRoot(let name):
            raw("GETQUOTAROOT "); mailbox(name)
        case .uidExpunge(let set):
            raw("UID EXPUNGE \(set)")
        case .search(let charset, let key, _):
            raw(command.name)
            if let charset { raw(" CHARSET "); astring(charset) }
            space()
            if case .and(let keys) = key, keys.count > 1 {
                for (index, inner) in keys.enumerated() {
                    if index > 0 { space() }
                    searchKey(inner)
                }
            } else {
                searchKey(key)
            }
        case .fetch(let set, let attributes, _):
            raw("\(command.name) \(set) ")
            list(attributes) { $0.fetchAttribute($1) }
        case .store(let set, let action, _):
            raw("\(command.name) \(set) ")
            switch action.mode {
            case .replace: break
            case .add: raw("+")
            case .remove: raw("-")
            }
            raw(action.silent ? "FLAGS.SILENT " : "FLAGS ")
            flagList(action.flags)
        case .copy(let set, let name, _), .move(let set, let name, _):
            raw("\(command.name) \(set) ")
            mailbox(name)
        }
        crlf()
    }

    /// `list-mailbox`: bare when every octet is a list-char.
    mutating func listPattern(_ pattern: String) {
        let data = Array(pattern.utf8)
        if !data.isEmpty && data.allSatisfy(IMAPGrammar.isListChar) { raw(data) } else { string(data) }
    }
}
