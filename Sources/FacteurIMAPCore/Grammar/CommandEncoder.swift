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
                self.list(list.returnOptions) { writer, option in
                    writer.raw(option.rawValue)
                    if option == .status { writer.space(); writer.list(list.statusAttributes) { $0.raw($1.rawValue) } }
                }
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
        case .multiAppend(let append):
            raw("APPEND "); mailbox(append.mailbox)
            for message in append.messages {
                if !message.flags.isEmpty { space(); flagList(message.flags) }
                if let date = message.internalDate { raw(" \"\(date)\"") }
                space(); literal(message.message)
            }
        case .createSpecialUse(let name, let use):
            raw("CREATE "); mailbox(name); raw(" (USE "); list(use) { $0.raw($1) }; raw(")")
        case .compress(let mechanism):
            raw("COMPRESS " + mechanism)
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
            searchProgram(key)
        case .extendedSearch(let search): extendedSearch(search)
        case .sort(let sort): sortCommand(sort)
        case .thread(let thread): threadCommand(thread)
        case .fetch(let set, let attributes, _):
            raw("\(command.name) \(set) ")
            list(attributes) { $0.fetchAttribute($1) }
        case .store(let set, let action, _):
            raw("\(command.name) \(set) ")
            if let unchangedSince = action.unchangedSince { raw("(UNCHANGEDSINCE \(unchangedSince)) ") }
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
        case .selectWithParameters(let name, let parameters, _):
            raw(command.name); space(); mailbox(name); space(); selectParameters(parameters)
        case .fetchWithModifiers(let set, let attributes, let modifiers, _):
            raw("\(command.name) \(set) ")
            list(attributes) { $0.fetchAttribute($1) }
            space(); fetchModifiers(modifiers)
        }
        crlf()
    }

    /// `1*(SP search-key)` without the first SP: a top-level AND as separate keys.
    mutating func searchProgram(_ key: SearchKey) {
        if case .and(let keys) = key, keys.count > 1 {
            for (index, inner) in keys.enumerated() {
                if index > 0 { space() }
                searchKey(inner)
            }
        } else {
            searchKey(key)
        }
    }

    /// `list-mailbox`: bare when every octet is a list-char.
    mutating func listPattern(_ pattern: String) {
        let data = Array(pattern.utf8)
        if !data.isEmpty && data.allSatisfy(IMAPGrammar.isListChar) { raw(data) } else { string(data) }
    }
}
