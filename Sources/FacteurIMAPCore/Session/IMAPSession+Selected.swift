import Foundation
import FacteurMIME

/// Selected state (RFC 3501 §6.4, RFC 4315 UID EXPUNGE, RFC 6851 MOVE, RFC 3691 UNSELECT).
extension IMAPSession {
    /// Returns false when the command deselected the mailbox.
    mutating func executeSelected(_ tagged: TaggedCommand, login: Login, mailbox: inout SelectedMailbox,
                                  into output: inout SessionOutput) async -> Bool {
        let tag = tagged.tag
        let store = login.store
        enableCondStoreIfUsed(by: tagged.command, mailbox: &mailbox, into: &output)
        do {
            switch tagged.command {
            case .check:
                await synchronize(&mailbox, login: login, into: &output)
                output.tagged(tag, .ok, nil, "CHECK completed")
            case .close:
                // What has \Deleted in storage now goes, whatever this session last saw (§6.4.2).
                if !mailbox.readOnly { _ = try await store.expunge(mailbox.name, uids: nil) }
                output.tagged(tag, .ok, nil, "CLOSE completed")
                return false
            case .unselect:
                output.tagged(tag, .ok, nil, "UNSELECT completed")
                return false
            case .expunge, .uidExpunge:
                guard !mailbox.readOnly else { output.tagged(tag, .no, .readOnly, "Mailbox is read-only"); return true }
                // The store decides from the flags it holds now (another session may have set or
                // cleared \Deleted since this one last synchronised), then the view catches up:
                // EXPUNGE for what went, FETCH FLAGS for what changed (RFC 3501 §6.4.3).
                var scope: [UInt32]?
                if case .uidExpunge(let set) = tagged.command { scope = mailbox.targets(set, uid: true) }
                if scope?.isEmpty != true {
                    let expunged = try await store.expunge(mailbox.name, uids: scope)
                    for response in mailbox.remove(Set(expunged)) { output.untagged(response) }
                }
                await synchronize(&mailbox, login: login, into: &output)
                output.tagged(tag, .ok, nil, "\(tagged.command.name) completed")
            case .search(_, let key, let uid):
                let matches = try await search(key, uid: uid, mailbox: mailbox, store: store)
                if key.usesModSeq, let highest = Self.highestModSeq(of: matches, uid: uid, in: mailbox) {
                    output.untagged(.searchModSeq(matches, highest))
                } else {
                    output.untagged(.search(matches))
                }
                if uid { await synchronize(&mailbox, login: login, into: &output) }
                output.tagged(tag, .ok, nil, "\(tagged.command.name) completed")
            case .fetch(let set, let attributes, let uid):
                guard let uids = mailbox.targets(set, uid: uid) else {
                    output.tagged(tag, .bad, nil, "Invalid message sequence number")
                    return true
                }
                try await fetch(uids, attributes: attributes, mailbox: &mailbox, store: store, into: &output)
                if uid { await synchronize(&mailbox, login: login, into: &output) }
                output.tagged(tag, .ok, nil, "\(tagged.command.name) completed")
            case .store(let set, let action, let uid):
                try await storeFlags(set, action, uid: uid, tag: tag, login: login, mailbox: &mailbox, into: &output)
            case .fetchWithModifiers(let set, let attributes, let modifiers, let uid):
                try await fetchChanged(set, attributes: attributes, modifiers: modifiers, uid: uid, tag: tag, login: login,
                                       mailbox: &mailbox, into: &output)
            case .copy(let set, let destination, let uid), .move(let set, let destination, let uid):
                let isMove = if case .move = tagged.command { true } else { false }
                if isMove && mailbox.readOnly { output.tagged(tag, .no, .readOnly, "Mailbox is read-only"); return true }
                guard let uids = mailbox.targets(set, uid: uid) else {
                    output.tagged(tag, .bad, nil, "Invalid message sequence number")
                    return true
                }
                guard !uids.isEmpty else {
                    output.tagged(tag, .ok, nil, "No messages")
                    return true
                }
                let result = isMove ? try await store.move(mailbox.name, uids: uids, to: destination)
                                    : try await store.copy(mailbox.name, uids: uids, to: destination)
                let code = ResponseCode.copyUID(uidValidity: result.uidValidity, source: SequenceSet(numbers: result.sourceUIDs),
                                                destination: SequenceSet(numbers: result.destinationUIDs))
                // Into the selected mailbox itself: the new messages are announced (EXISTS) in
                // this response, not at the next command (RFC 3501 §6.4.7, as Dovecot does).
                let intoSelected = destination == mailbox.name
                if isMove {
                    // RFC 6851 §4.3: COPYUID goes in an untagged OK before the EXPUNGEs.
                    output.untagged(.condition(.ok, code, "Moved"))
                    for response in mailbox.remove(Set(result.sourceUIDs)) { output.untagged(response) }
                    if intoSelected { await synchronize(&mailbox, login: login, into: &output) }
                    output.tagged(tag, .ok, nil, "\(tagged.command.name) completed")
                } else {
                    if intoSelected { await synchronize(&mailbox, login: login, into: &output) }
                    output.tagged(tag, .ok, code, "\(tagged.command.name) completed")
                }
            default:
                if try await executeSearchExtension(tagged, login: login, mailbox: &mailbox, into: &output) { return true }
                output.tagged(tag, .bad, nil, "Unexpected command")
            }
        } catch {
            Self.refuse(tag: tag, command: tagged.command, error: error, into: &output)
        }
        return true
    }

    /// SEARCH: loads message octets only when a key looks inside messages.
    func search(_ key: SearchKey, uid: Bool, mailbox: SelectedMailbox, store: any IMAPMailStore) async throws -> [UInt32] {
        let key = key.resolvingSavedResult(mailbox.savedSearch)
        if key == .all { return uid ? mailbox.uids : (0..<mailbox.count).map { $0 + 1 } }
        let context = SearchContext(messageCount: mailbox.count, maxUID: mailbox.maxUID, timeZone: configuration.timeZone)
        let needsContent = key.needsContent
        var result: [UInt32] = []
        for (index, record) in mailbox.records.enumerated() {
            var flags = record.flags
            if mailbox.recent.contains(record.uid) { flags.insert(.recent) } else { flags.remove(.recent) }
            var message: MIMEMessage?
            if needsContent {
                guard let bytes = try await Self.bytesIfPresent(mailbox.name, uid: record.uid, store: store) else { continue }
                message = MIMEMessage(LineEndings.crlf(bytes))
            }
            let candidate = RecordSearchMessage(sequenceNumber: UInt32(index + 1), record: record, flags: flags, message: message)
            if SearchEvaluator.matches(key, candidate, context: context) {
                result.append(uid ? record.uid : UInt32(index + 1))
            }
        }
        return result
    }
}

/// A stored message seen by the SEARCH evaluator; headers and text are empty when the
/// message octets were not needed.
struct RecordSearchMessage: IMAPSearchableMessage {
    let sequenceNumber: UInt32
    let record: MessageRecord
    let flags: Set<Flag>
    let message: MIMEMessage?

    var uid: UInt32 { record.uid }
    var internalDate: Date { record.internalDate }
    var size: Int { record.size }
    func headerValues(_ name: String) -> [String] { message?.header.all(name).map(EncodedWord.decode) ?? [] }
    var headerText: String { message?.headerText() ?? "" }
    var bodyText: String { message?.bodyText ?? "" }
    var modSeq: UInt64 { record.modSeq }
}

extension SearchKey {
    /// True if evaluating the key needs headers or text.
    var needsContent: Bool {
        switch self {
        case .bcc, .body, .cc, .from, .subject, .text, .to, .header, .sentBefore, .sentOn, .sentSince: return true
        case .not(let inner): return inner.needsContent
        case .or(let first, let second): return first.needsContent || second.needsContent
        case .and(let keys): return keys.contains { $0.needsContent }
        default: return false
        }
    }
}
