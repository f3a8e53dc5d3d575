import Foundation

/// Which RFC 7162 extensions the client turned on for this connection.
struct ModSeqExtensions: Sendable {
    /// CONDSTORE: by ENABLE or by any CONDSTORE-enabling command (§3.1).
    var condstore = false
    /// QRESYNC: by ENABLE only (§3.2.3); implies CONDSTORE.
    var qresync = false
}

/// CONDSTORE and QRESYNC (RFC 7162): ENABLE, SELECT / EXAMINE parameters, FETCH modifiers,
/// conditional STORE, SEARCH MODSEQ. Mod-sequences come from the store (`MessageRecord.modSeq`,
/// HIGHESTMODSEQ in the snapshot); what changed since a mod-sequence is read from the selected
/// mailbox's table, what vanished from the store's expunge log.
extension IMAPSession {
    /// ENABLE (RFC 5161) of CONDSTORE / QRESYNC; other names are not enabled and not listed.
    mutating func enable(_ names: [String], mailbox: inout SelectedMailbox?, into output: inout SessionOutput) {
        var enabled: [String] = []
        for name in names where !enabled.contains(name) {
            switch name {
            case "CONDSTORE": enabled.append(name)
            case "QRESYNC": enabled.append(name); modSeqExtensions.qresync = true
            default: continue
            }
        }
        if !enabled.isEmpty { enableCondStore(mailbox: &mailbox, into: &output) }
        mailbox?.reportsVanished = modSeqExtensions.qresync
        output.untagged(.enabled(enabled))
    }

    /// Turns CONDSTORE on; a selected mailbox then reports its HIGHESTMODSEQ once (§3.1: the
    /// first time a CONDSTORE-enabling command other than SELECT runs).
    mutating func enableCondStore(mailbox: inout SelectedMailbox?, into output: inout SessionOutput) {
        guard !modSeqExtensions.condstore else { return }
        modSeqExtensions.condstore = true
        guard var selected = mailbox else { return }
        selected.reportsModSeq = true
        output.untagged(.condition(.ok, .highestModSeq(selected.highestModSeq), "Highest"))
        mailbox = selected
    }

    /// A CONDSTORE-enabling command in the selected state (§3.1): FETCH of MODSEQ or CHANGEDSINCE,
    /// STORE UNCHANGEDSINCE, SEARCH MODSEQ.
    mutating func enableCondStoreIfUsed(by command: Command, mailbox: inout SelectedMailbox, into output: inout SessionOutput) {
        let uses: Bool
        switch command {
        case .fetch(_, let attributes, _): uses = attributes.contains(.modSeq)
        case .fetchWithModifiers(_, let attributes, let modifiers, _): uses = attributes.contains(.modSeq) || modifiers.changedSince != nil
        case .store(_, let action, _): uses = action.unchangedSince != nil
        case .search(_, let key, _): uses = key.usesModSeq
        default: uses = false
        }
        guard uses else { return }
        var selected: SelectedMailbox? = mailbox
        enableCondStore(mailbox: &selected, into: &output)
        if let selected { mailbox = selected }
    }

    /// SELECT / EXAMINE, with or without RFC 7162 parameters. A mailbox already selected is
    /// closed first and the client told so with `[CLOSED]` (§3.2.11), whatever the outcome.
    mutating func selectMailbox(_ name: IMAPMailboxName, readOnly: Bool, parameters: SelectParameters?, tag: String,
                                store: any IMAPMailStore, mailbox: inout SelectedMailbox?,
                                into output: inout SessionOutput) async throws {
        let command = readOnly ? "EXAMINE" : "SELECT"
        if parameters?.qresync != nil && !modSeqExtensions.qresync {
            output.tagged(tag, .bad, nil, "QRESYNC is not enabled")
            return
        }
        if mailbox != nil { output.untagged(.condition(.ok, .closed, "Previous mailbox closed")) }
        mailbox = nil  // a failed SELECT leaves no mailbox selected (RFC 3501 §6.3.1)
        if parameters?.condstore == true { modSeqExtensions.condstore = true }
        let snapshot = try await store.select(name, readOnly: readOnly)
        var selected = SelectedMailbox(name: name, readOnly: readOnly, snapshot: snapshot)
        selected.reportsModSeq = modSeqExtensions.condstore
        selected.reportsVanished = modSeqExtensions.qresync
        reportSelection(selected, into: &output)
        // Every mailbox keeps mod-sequences, so every SELECT says HIGHESTMODSEQ (§3.1.2.1).
        output.untagged(.condition(.ok, .highestModSeq(selected.highestModSeq), "Highest"))
        if let resync = parameters?.qresync, resync.uidValidity == selected.uidValidity {
            try await resynchronize(resync, mailbox: selected, store: store, into: &output)
        }
        mailbox = selected
        output.tagged(tag, .ok, readOnly ? .readOnly : .readWrite, "\(command) completed")
    }

    /// QRESYNC's answer inside SELECT (§3.2.5.1): the UIDs expunged since the client's
    /// mod-sequence (among those it knows), then the flags of every message changed since.
    private func resynchronize(_ resync: QResyncParameters, mailbox: SelectedMailbox, store: any IMAPMailStore,
                               into output: inout SessionOutput) async throws {
        guard resync.modSeq < mailbox.highestModSeq else { return }
        var vanished = try await store.vanished(mailbox.name, since: resync.modSeq)
        if let known = resync.knownUIDs {
            let last = max(mailbox.maxUID, mailbox.uidNext &- 1)
            vanished = vanished.filter { known.contains($0, max: last) }
        }
        if !vanished.isEmpty { output.untagged(.vanished(earlier: true, SequenceSet(numbers: vanished))) }
        let records = mailbox.records
        for index in records.indices where records.modSeq(at: index) > resync.modSeq {
            output.untagged(.fetch(UInt32(index + 1), [.uid(records.uids[index]), .flags(mailbox.visibleFlags(records[index])),
                                                       .modSeq(records.modSeq(at: index))]))
        }
    }

    /// FETCH with `(CHANGEDSINCE n)` (§3.1.4.1) and `VANISHED` (§3.2.6, UID FETCH only, QRESYNC
    /// enabled, with CHANGEDSINCE).
    func fetchChanged(_ set: SequenceSet, attributes: [FetchAttribute], modifiers: FetchModifiers, uid: Bool, tag: String,
                      login: Login, mailbox: inout SelectedMailbox, into output: inout SessionOutput) async throws {
        if modifiers.vanished {
            guard uid else { output.tagged(tag, .bad, nil, "VANISHED needs UID FETCH"); return }
            guard modSeqExtensions.qresync else { output.tagged(tag, .bad, nil, "QRESYNC is not enabled"); return }
            guard modifiers.changedSince != nil else { output.tagged(tag, .bad, nil, "VANISHED needs CHANGEDSINCE"); return }
        }
        guard let uids = mailbox.targets(set, uid: uid) else {
            output.tagged(tag, .bad, nil, "Invalid message sequence number")
            return
        }
        var attributes = attributes
        var targets = uids
        if let since = modifiers.changedSince {
            if !attributes.contains(.modSeq) { attributes.append(.modSeq) }
            let records = mailbox.records
            targets = uids.filter { uid in records.index(of: uid).map { records.modSeq(at: $0) > since } ?? false }
            if modifiers.vanished {
                let last = max(mailbox.maxUID, mailbox.uidNext &- 1)
                let gone = try await login.store.vanished(mailbox.name, since: since).filter { set.contains($0, max: last) }
                if !gone.isEmpty { output.untagged(.vanished(earlier: true, SequenceSet(numbers: gone))) }
            }
        }
        try await fetch(targets, attributes: attributes, mailbox: &mailbox, store: login.store, into: &output)
        if uid { await synchronize(&mailbox, login: login, into: &output) }
        output.tagged(tag, .ok, nil, "\(uid ? "UID FETCH" : "FETCH") completed")
    }

    /// STORE, and its conditional form `(UNCHANGEDSINCE n)` (§3.1.3): what failed the test is
    /// named in `[MODIFIED set]`; with CONDSTORE enabled every FETCH carries MODSEQ, and a
    /// `.SILENT` store still reports the new mod-sequences of what it changed.
    func storeFlags(_ set: SequenceSet, _ action: StoreAction, uid: Bool, tag: String, login: Login,
                    mailbox: inout SelectedMailbox, into output: inout SessionOutput) async throws {
        let name = uid ? "UID STORE" : "STORE"
        guard !mailbox.readOnly else { output.tagged(tag, .no, .readOnly, "Mailbox is read-only"); return }
        guard let uids = mailbox.targets(set, uid: uid) else {
            output.tagged(tag, .bad, nil, "Invalid message sequence number")
            return
        }
        let flags = Set(action.flags).subtracting([.recent])
        var before: [UInt32: UInt64] = [:]
        for messageUID in uids { if let index = mailbox.records.index(of: messageUID) { before[messageUID] = mailbox.records.modSeq(at: index) } }
        let result = uids.isEmpty ? IMAPFlagStoreResult(flags: [:])
            : try await login.store.storeFlags(mailbox.name, uids: uids, flags: flags, mode: action.mode,
                                               unchangedSince: action.unchangedSince)
        mailbox.update(flags: result.flags, modSeqs: result.modSeqs)
        // A keyword new to the mailbox is announced before a FETCH shows it (RFC 3501 §7.2.6).
        for response in mailbox.announceKeywords(in: result.flags.values.joined()) { output.untagged(response) }
        for messageUID in uids where result.flags[messageUID] != nil {
            guard let index = mailbox.records.index(of: messageUID) else { continue }
            if !action.silent {
                output.untagged(.fetch(UInt32(index + 1), mailbox.flagItems(at: index, uid: uid)))
            } else if mailbox.reportsModSeq, let modSeq = result.modSeqs[messageUID], modSeq != before[messageUID] {
                var items: [FetchResponseItem] = uid ? [.uid(messageUID)] : []
                items.append(.modSeq(modSeq))
                output.untagged(.fetch(UInt32(index + 1), items))
            }
        }
        var code: ResponseCode?
        if !result.modified.isEmpty {
            let numbers = uid ? result.modified : result.modified.compactMap { mailbox.sequenceNumber(of: $0) }
            code = .modified(SequenceSet(numbers: numbers))
        }
        if uid { await synchronize(&mailbox, login: login, into: &output) }
        output.tagged(tag, .ok, code, code == nil ? "\(name) completed" : "Conditional \(name) failed")
    }

    /// The `(MODSEQ n)` of a SEARCH that used MODSEQ (§3.1.5): the highest mod-sequence among
    /// the matches (`numbers` are UIDs when `uid`); nil when nothing matched.
    static func highestModSeq(of numbers: [UInt32], uid: Bool, in mailbox: SelectedMailbox) -> UInt64? {
        var highest: UInt64?
        for number in numbers {
            guard let index = uid ? mailbox.records.index(of: number) : Int(number) - 1,
                  mailbox.records.indices.contains(index) else { continue }
            highest = max(highest ?? 0, mailbox.records.modSeq(at: index))
        }
        return highest
    }
}

extension SearchKey {
    /// True if the key uses MODSEQ (the SEARCH result then ends with `(MODSEQ n)`).
    var usesModSeq: Bool {
        switch self {
        case .modSeq: return true
        case .not(let inner): return inner.usesModSeq
        case .or(let first, let second): return first.usesModSeq || second.usesModSeq
        case .and(let keys): return keys.contains { $0.usesModSeq }
        default: return false
        }
    }
}
