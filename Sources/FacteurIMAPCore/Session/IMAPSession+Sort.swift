import FacteurMIME

/// ESEARCH (RFC 4731), SEARCHRES (RFC 5182), SORT and THREAD (RFC 5256), SORT=DISPLAY
/// (RFC 5957) and ESORT (RFC 5267) in the selected state.
extension IMAPSession {
    /// The command is one of this file's; returns false otherwise.
    mutating func executeSearchExtension(_ tagged: TaggedCommand, login: Login, mailbox: inout SelectedMailbox,
                                         into output: inout SessionOutput) async throws -> Bool {
        let tag = tagged.tag
        let store = login.store
        let uid: Bool
        switch tagged.command {
        case .extendedSearch(let command):
            uid = command.uid
            let matches: [UInt32]
            do {
                matches = try await search(command.key, uid: uid, mailbox: mailbox, store: store)
            } catch {
                if command.returning.save { mailbox.savedSearch = [] }   // RFC 5182 §2.1: a failed SAVE empties `$`
                throw error
            }
            if command.returning.save { save(command.returning.saved(matches), uid: uid, in: &mailbox) }
            if command.returning.answers {
                var response = ESearchResponse(tag: tag, uid: uid, options: command.returning, matches: matches)
                if command.key.usesModSeq {
                    // RFC 4731 §3.2 with RFC 7162 §3.1.5: MIN and/or MAX alone report the highest
                    // mod-sequence of the messages they name, otherwise of every match.
                    let named = command.returning.all || command.returning.count
                        ? matches : [response.min, response.max].compactMap { $0 }
                    response.modSeq = Self.highestModSeq(of: named, uid: uid, in: mailbox)
                }
                output.untagged(.esearch(response))
            }
        case .sort(let command):
            uid = command.uid
            let messages: [SortableMessage]
            do {
                messages = try await sortableMessages(command.key, uid: uid, mailbox: mailbox, store: store)
            } catch {
                if command.returning?.save == true { mailbox.savedSearch = [] }
                throw error
            }
            let sorted = MessageSorter.sort(messages, by: command.criteria)
            if let returning = command.returning {
                if returning.save { save(returning.saved(sorted), uid: uid, in: &mailbox) }
                if returning.answers {
                    output.untagged(.esearch(ESearchResponse(tag: tag, uid: uid, options: returning, matches: sorted, ordered: true)))
                }
            } else {
                output.untagged(.sort(sorted))
            }
        case .thread(let command):
            uid = command.uid
            let messages = try await sortableMessages(command.key, uid: uid, mailbox: mailbox, store: store)
            output.untagged(.thread(ThreadBuilder.thread(messages, algorithm: command.algorithm)))
        default:
            return false
        }
        if uid { await synchronize(&mailbox, login: login, into: &output) }
        output.tagged(tag, .ok, nil, "\(tagged.command.name) completed")
        return true
    }

    /// Keeps a result for `$` as UIDs, so that it follows expunges (RFC 5182 §2.1).
    private func save(_ numbers: [UInt32], uid: Bool, in mailbox: inout SelectedMailbox) {
        let uids = uid ? numbers : numbers.compactMap { number in
            number >= 1 && number <= mailbox.count ? mailbox.records.uids[Int(number) - 1] : nil
        }
        mailbox.savedSearch = uids.sorted()
    }

    /// The messages matching `key`, in mailbox order, with their sort keys from the store.
    private func sortableMessages(_ key: SearchKey, uid: Bool, mailbox: SelectedMailbox,
                                  store: any IMAPMailStore) async throws -> [SortableMessage] {
        let sequences = try await search(key, uid: false, mailbox: mailbox, store: store)
        let records = mailbox.records
        let uids = sequences.map { records.uids[Int($0) - 1] }
        let fields = try await store.sortFields(mailbox.name, uids: uids)
        var messages: [SortableMessage] = []
        messages.reserveCapacity(sequences.count)
        for (position, sequence) in sequences.enumerated() {
            let details = records.details(at: Int(sequence) - 1)
            messages.append(SortableMessage(number: uid ? uids[position] : sequence, sequence: sequence,
                                            internalDate: details.internalDate.timeIntervalSince1970, size: details.size,
                                            fields: position < fields.count ? fields[position] : MessageSortFields()))
        }
        return messages
    }
}

extension SearchKey {
    /// The key with `$` (RFC 5182) replaced by the saved UIDs.
    func resolvingSavedResult(_ saved: [UInt32]) -> SearchKey {
        switch self {
        case .sequenceNumbers(let set) where set.isSavedResult, .uid(let set) where set.isSavedResult:
            return .uid(SequenceSet(numbers: saved))
        case .not(let inner): return .not(inner.resolvingSavedResult(saved))
        case .or(let first, let second): return .or(first.resolvingSavedResult(saved), second.resolvingSavedResult(saved))
        case .and(let keys): return .and(keys.map { $0.resolvingSavedResult(saved) })
        default: return self
        }
    }
}

extension IMAPMailStore {
    /// Reads each message's header: for stores without an index of sort keys (tests).
    public func sortFields(_ mailbox: IMAPMailboxName, uids: [UInt32]) async throws -> [MessageSortFields] {
        var fields: [MessageSortFields] = []
        for uid in uids {
            let bytes = (try? await messageBytes(mailbox, uid: uid)) ?? []
            fields.append(MessageSortFields(header: bytes))
        }
        return fields
    }
}
