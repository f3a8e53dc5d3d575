import Foundation

/// Authenticated state (RFC 3501 §6.3 and NAMESPACE, ENABLE, IDLE).
extension IMAPSession {
    mutating func executeAuthenticated(_ tagged: TaggedCommand, login: Login, mailbox: inout SelectedMailbox?,
                                       into output: inout SessionOutput) async {
        let tag = tagged.tag
        let store = login.store
        do {
            switch tagged.command {
            case .select(let name), .examine(let name):
                let readOnly = if case .examine = tagged.command { true } else { false }
                try await selectMailbox(name, readOnly: readOnly, parameters: nil, tag: tag, store: store, mailbox: &mailbox, into: &output)
            case .selectWithParameters(let name, let parameters, let readOnly):
                try await selectMailbox(name, readOnly: readOnly, parameters: parameters, tag: tag, store: store, mailbox: &mailbox,
                                        into: &output)
            case .create(let name):
                // A trailing separator only says the client intends to create children (§6.3.3).
                let trimmed = name.wire.hasSuffix("/") ? IMAPMailboxName(wire: String(name.wire.dropLast())) : name
                if trimmed.isInbox { throw IMAPStoreError.alreadyExists }
                try Self.validated(trimmed)
                try await store.create(trimmed)
                output.tagged(tag, .ok, nil, "CREATE completed")
            case .createSpecialUse(let name, let use):
                try await createSpecialUse(name, use: use, store: store)
                output.tagged(tag, .ok, nil, "CREATE completed")
            case .delete(let name):
                guard !name.isInbox else { throw IMAPStoreError.refused("INBOX cannot be deleted") }
                try await store.delete(name)
                output.tagged(tag, .ok, nil, "DELETE completed")
            case .rename(let from, let to):
                try Self.validated(to)
                if to.isInbox { throw IMAPStoreError.alreadyExists }
                try await store.rename(from, to: to)
                output.tagged(tag, .ok, nil, "RENAME completed")
            case .subscribe(let name):
                try await store.setSubscribed(name, true)
                output.tagged(tag, .ok, nil, "SUBSCRIBE completed")
            case .unsubscribe(let name):
                try await store.setSubscribed(name, false)
                output.tagged(tag, .ok, nil, "UNSUBSCRIBE completed")
            case .list(let list):
                try await self.list(list, store: store, into: &output)
                output.tagged(tag, .ok, nil, "LIST completed")
            case .lsub(let reference, let pattern):
                let matcher = ListPattern(reference: reference, pattern: pattern)
                let mailboxes = try await store.mailboxes()
                var entries = mailboxes.filter { $0.subscribed && matcher.matches($0.name) }
                    .map { ListEntry(attributes: $0.attributes, name: $0.name) }
                // Subscribed names whose mailbox is gone are still listed (RFC 3501 §6.3.9).
                let existing = Set(mailboxes.map(\.name.wire))
                let subscriptions = try await store.subscriptions()
                for name in subscriptions where !existing.contains(name.wire) && matcher.matches(name) {
                    entries.append(ListEntry(attributes: ["\\Noselect"], name: name))
                }
                // A subscribed name under a level that "%" stops at: that level is listed with
                // \Noselect when it is not subscribed itself (RFC 3501 §6.3.9, a MUST).
                var listed = Set(entries.map(\.name.wire))
                for name in subscriptions.map(\.wire).sorted() where !matcher.matches(IMAPMailboxName(wire: name)) {
                    var levels = name.split(separator: IMAPMailboxName.separator, omittingEmptySubsequences: false).dropLast()
                    while !levels.isEmpty {
                        let parent = IMAPMailboxName(wire: levels.joined(separator: String(IMAPMailboxName.separator)))
                        if matcher.matches(parent), listed.insert(parent.wire).inserted {
                            entries.append(ListEntry(attributes: ["\\Noselect"], name: parent))
                        }
                        levels = levels.dropLast()
                    }
                }
                for entry in entries.sorted(by: { $0.name.wire < $1.name.wire }) { output.untagged(.lsub(entry)) }
                output.tagged(tag, .ok, nil, "LSUB completed")
            case .status(let name, let attributes):
                if attributes.contains(.highestModSeq) { enableCondStore(mailbox: &mailbox, into: &output) }
                let status = try await store.status(name)
                output.untagged(.status(name, Self.statusItems(status, attributes)))
                output.tagged(tag, .ok, nil, "STATUS completed")
            case .append(let append):
                let result = try await appendMessage(append.mailbox, message: append.message, flags: append.flags,
                                                     date: append.internalDate, store: store)
                if var selected = mailbox, selected.name == append.mailbox {
                    await synchronize(&selected, login: login, into: &output)
                    mailbox = selected
                }
                output.tagged(tag, .ok, .appendUID(uidValidity: result.uidValidity, uids: SequenceSet(numbers: [result.uid])), "APPEND completed")
            case .multiAppend(let append):
                try await multiAppend(append, tag: tag, login: login, mailbox: &mailbox, into: &output)
            case .compress(let mechanism):
                compress(mechanism, tag: tag, into: &output)
            case .idle:
                output.continuation("idling")
                state = .idling(tag: tag, login, mailbox: mailbox)
            case .namespace:
                output.untagged(.namespace(personal: [NamespaceDescription(prefix: "")], otherUsers: nil, shared: nil))
                output.tagged(tag, .ok, nil, "NAMESPACE completed")
            case .enable(let names):
                enable(names, mailbox: &mailbox, into: &output)
                output.tagged(tag, .ok, nil, "ENABLE completed")
            case .getQuota, .getQuotaRoot, .setQuota:
                try await executeQuota(tagged, store: store, into: &output)
            default:
                output.tagged(tag, .bad, nil, "Unexpected command")
            }
        } catch {
            Self.refuse(tag: tag, command: tagged.command, error: error, into: &output)
        }
    }

    /// The untagged data of a successful SELECT / EXAMINE (RFC 3501 §6.3.1).
    func reportSelection(_ mailbox: SelectedMailbox, into output: inout SessionOutput) {
        for response in mailbox.flagsResponses() { output.untagged(response) }
        output.untagged(.exists(mailbox.count))
        output.untagged(.recent(UInt32(mailbox.recent.count)))
        if let firstUnseen = mailbox.records.indices.first(where: { !mailbox.records.has(.seen, at: $0) }) {
            output.untagged(.condition(.ok, .unseen(UInt32(firstUnseen + 1)), "First unseen"))
        }
        output.untagged(.condition(.ok, .uidValidity(mailbox.uidValidity), "UIDs valid"))
        output.untagged(.condition(.ok, .uidNext(mailbox.uidNext), "Predicted next UID"))
    }

    /// LIST with CHILDREN attributes, RFC 5258 SUBSCRIBED and RFC 6154 SPECIAL-USE options.
    private func list(_ command: ListCommand, store: any IMAPMailStore, into output: inout SessionOutput) async throws {
        // RFC 3501 §6.3.8: an empty pattern asks for the hierarchy delimiter.
        if command.patterns == [""] {
            output.untagged(.list(ListEntry(attributes: ["\\Noselect"], name: IMAPMailboxName(wire: ""))))
            return
        }
        let mailboxes = try await store.mailboxes()
        let names = Set(mailboxes.map(\.name.wire))
        let matchers = command.patterns.map { ListPattern(reference: command.reference, pattern: $0) }
        let specialUseOnly = command.selectOptions.contains(.specialUse)
        let subscribedOnly = command.selectOptions.contains(.subscribed)
        let showSubscribed = subscribedOnly || command.returnOptions.contains(.subscribed)
        let showSpecialUse = specialUseOnly || command.returnOptions.contains(.specialUse) || !command.isExtended
        var listed = Set<String>()
        // RFC 5258 §3.5: with SUBSCRIBED and RECURSIVEMATCH, names with subscribed descendants.
        var childInfo = subscribedOnly && command.selectOptions.contains(.recursiveMatch)
            ? Self.namesWithSubscribedDescendants(try await store.subscriptions(), existing: names, matchers: matchers) : [:]
        for info in mailboxes where matchers.contains(where: { $0.matches(info.name) }) {
            let special = info.attributes.filter { Self.specialUseAttributes.contains($0) }
            if specialUseOnly && special.isEmpty { continue }
            if subscribedOnly && !info.subscribed { continue }
            var attributes = info.attributes.filter { !Self.specialUseAttributes.contains($0) }
            if showSpecialUse { attributes += special }
            let prefix = info.name.wire + "/"
            attributes.append(names.contains { $0.hasPrefix(prefix) } ? "\\HasChildren" : "\\HasNoChildren")
            if showSubscribed && info.subscribed { attributes.append("\\Subscribed") }
            var entry = ListEntry(attributes: attributes, name: info.name)
            if childInfo.removeValue(forKey: info.name.wire) != nil { entry.childInfo = ["SUBSCRIBED"] }
            output.untagged(.list(entry))
            listed.insert(info.name.wire)
            if command.returnOptions.contains(.status) {
                await listStatus(info, attributes: command.statusAttributes, store: store, into: &output)
            }
        }
        for (name, exists) in childInfo.sorted(by: { $0.key < $1.key }) {
            var entry = ListEntry(attributes: exists ? ["\\HasChildren"] : ["\\NonExistent"], name: IMAPMailboxName(wire: name))
            entry.childInfo = ["SUBSCRIBED"]
            output.untagged(.list(entry))
            listed.insert(name)
        }
        // RFC 5258 §3.1: the SUBSCRIBED selection also returns subscribed names that do not
        // exist, as \NonExistent.
        if subscribedOnly && !specialUseOnly {
            for name in try await store.subscriptions() where !names.contains(name.wire) && matchers.contains(where: { $0.matches(name) }) {
                output.untagged(.list(ListEntry(attributes: ["\\NonExistent", "\\Subscribed"], name: name)))
            }
        }
        // Parents that do not exist but whose children do are listed as \Noselect when the
        // pattern matches them (RFC 3501 §6.3.8, "%" example).
        guard !specialUseOnly && !subscribedOnly else { return }
        var parents = Set<String>()
        for name in names {
            var components = name.split(separator: "/").dropLast()
            while !components.isEmpty {
                parents.insert(components.joined(separator: "/"))
                components = components.dropLast()
            }
        }
        for parent in parents.sorted() where !names.contains(parent) && !listed.contains(parent) {
            let name = IMAPMailboxName(wire: parent)
            if matchers.contains(where: { $0.matches(name) }) {
                output.untagged(.list(ListEntry(attributes: ["\\Noselect", "\\HasChildren"], name: name)))
            }
        }
    }

    static let specialUseAttributes: Set<String> = ["\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash"]

    static func validated(_ name: IMAPMailboxName) throws {
        if case .failure(let failure) = MailboxNameValidator.validate(name) {
            throw IMAPStoreError.refused(failure.reason)
        }
    }

    func appendMessage(_ mailbox: IMAPMailboxName, message: [UInt8], flags: [Flag], date: IMAPDateTime?,
                       store: any IMAPMailStore) async throws -> IMAPAppendResult {
        guard !message.isEmpty else { throw IMAPStoreError.refused("Empty message") }
        let storedFlags = Set(flags).subtracting([.recent])
        return try await store.append(mailbox, message: BinaryContentStorage.storable(message), flags: storedFlags, internalDate: date?.date ?? now())
    }

    /// Turns a storage error into the tagged NO (one place for every command).
    static func refuse(tag: String, command: Command, error: Error, into output: inout SessionOutput) {
        if error is SpecialUseError {
            output.tagged(tag, .no, .other("USEATTR", nil), "Unsupported special-use attribute (one of \\Sent \\Drafts \\Trash \\Junk \\Archive \\All \\Flagged)")
            return
        }
        if let error = error as? BinaryDecodingError {
            output.tagged(tag, .no, .other("UNKNOWN-CTE", nil), error.reason)
            return
        }
        let targetsOtherMailbox: Bool
        switch command {
        case .append, .multiAppend, .copy, .move: targetsOtherMailbox = true
        default: targetsOtherMailbox = false
        }
        switch error as? IMAPStoreError {
        case .nonexistent?:
            output.tagged(tag, .no, targetsOtherMailbox ? .tryCreate : .nonexistent, "Mailbox does not exist")
        case .alreadyExists?:
            output.tagged(tag, .no, .alreadyExists, "Mailbox already exists")
        case .overQuota?:
            output.tagged(tag, .no, .overQuota, "Quota exceeded")
        case .noPermission?:
            output.tagged(tag, .no, .noPerm, "Permission denied")
        case .refused(let reason)?:
            output.tagged(tag, .no, .cannot, reason)
        case nil:
            output.tagged(tag, .no, .serverBug, "Internal error, try again later")
        }
    }

    // MARK: - Streamed APPEND (IMAPFrame.literalStart … commandTail)

    mutating func beginStreamedAppend(_ prefixBytes: [UInt8], synchronizing: Bool, into output: inout SessionOutput) async {
        let prefix: AppendPrefix
        do {
            prefix = try IMAPCommandParser.parseAppendPrefix(prefixBytes)
        } catch {
            output.tagged(error.tag ?? "*", .bad, nil, error.reason)
            if synchronizing { output.trailing.append(.abandonStreamedLiteral) } else { state = .loggedOut; output.trailing.append(.close) }
            return
        }
        guard case .authenticated(let login, let mailbox) = state else {
            output.tagged(prefix.tag, .bad, nil, isAuthenticated ? "Unexpected APPEND" : "Not authenticated")
            if synchronizing { output.trailing.append(.abandonStreamedLiteral) } else { await dropStreamedAppend(); state = .loggedOut; output.trailing.append(.close) }
            return
        }
        let command = Command.append(AppendCommand(mailbox: prefix.mailbox, message: []))
        if synchronizing {
            // Refuse before the client sends megabytes to a mailbox that does not exist.
            do {
                _ = try await login.store.status(prefix.mailbox)
            } catch {
                Self.refuse(tag: prefix.tag, command: command, error: error, into: &output)
                output.trailing.append(.abandonStreamedLiteral)
                return
            }
        }
        var append = StreamedAppend(prefix: prefix)
        do {
            append.spool = try await login.store.beginAppend(prefix.mailbox)
        } catch {
            guard !synchronizing else {
                Self.refuse(tag: prefix.tag, command: command, error: error, into: &output)
                output.trailing.append(.abandonStreamedLiteral)
                return
            }
            // LITERAL+: the octets come anyway; they are read, dropped, and the tail gets the NO.
            append.failure = error
        }
        state = .appending(append, login, mailbox: mailbox)
        if synchronizing { output.continuation("Ready for literal") }
    }

    /// One chunk of the literal, to the spool. A storage failure (disk full) drops the spool;
    /// the rest of the literal is still read, then the tail gets the NO.
    mutating func continueStreamedAppend(_ bytes: [UInt8]) async {
        guard case .appending(var append, let login, let mailbox) = state else { return }
        append.received += bytes.count
        if let spool = append.spool {
            do {
                try await spool.write(bytes)
            } catch {
                await spool.abort()
                append.spool = nil
                append.failure = error
            }
        }
        state = .appending(append, login, mailbox: mailbox)
    }

    /// Leaves the appending state, discarding the spool (connection closed, framing error).
    mutating func dropStreamedAppend() async {
        guard case .appending(let append, let login, let mailbox) = state else { return }
        state = .authenticated(login, mailbox: mailbox)
        await append.spool?.abort()
    }

    mutating func finishStreamedAppend(_ tail: [UInt8], into output: inout SessionOutput) async {
        guard case .appending(let append, let login, var mailbox) = state else { return }
        state = .authenticated(login, mailbox: mailbox)
        let tag = append.prefix.tag
        do {
            try IMAPCommandParser.parseAppendTail(tail, tag: tag)
        } catch {
            await append.spool?.abort()
            output.tagged(tag, .bad, nil, error.reason)
            return
        }
        let command = Command.append(AppendCommand(mailbox: append.prefix.mailbox, flags: append.prefix.flags,
                                                   internalDate: append.prefix.internalDate, message: []))
        do {
            guard let spool = append.spool else { throw append.failure ?? IMAPStoreError.refused("Message not stored") }
            guard append.received > 0 else {
                await spool.abort()
                throw IMAPStoreError.refused("Empty message")
            }
            let storedFlags = Set(append.prefix.flags).subtracting([.recent])
            let result = try await spool.finish(flags: storedFlags, internalDate: append.prefix.internalDate?.date ?? now())
            if var selected = mailbox, selected.name == append.prefix.mailbox {
                await synchronize(&selected, login: login, into: &output)
                mailbox = selected
                state = .authenticated(login, mailbox: mailbox)
            }
            output.tagged(tag, .ok, .appendUID(uidValidity: result.uidValidity, uids: SequenceSet(numbers: [result.uid])), "APPEND completed")
        } catch {
            Self.refuse(tag: tag, command: command, error: error, into: &output)
        }
    }
}
