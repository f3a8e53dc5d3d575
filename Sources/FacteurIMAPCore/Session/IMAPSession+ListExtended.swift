/// LIST-EXTENDED (RFC 5258 §3.5, RECURSIVEMATCH with SUBSCRIBED): names the patterns match
/// that have a subscribed name below them which the patterns do not match themselves get the
/// `CHILDINFO ("SUBSCRIBED")` item (a matched descendant is listed on its own).
extension IMAPSession {
    /// Matching names with a subscribed descendant → whether the name exists as a mailbox.
    /// A subscribed name that does not exist is left out: it is listed as `\NonExistent`.
    static func namesWithSubscribedDescendants(_ subscriptions: [IMAPMailboxName], existing: Set<String>,
                                               matchers: [ListPattern]) -> [String: Bool] {
        let subscribed = Set(subscriptions.map(\.wire))
        var result: [String: Bool] = [:]
        for name in subscribed where !matchers.contains(where: { $0.matches(IMAPMailboxName(wire: name)) }) {
            var levels = name.split(separator: IMAPMailboxName.separator, omittingEmptySubsequences: false).dropLast()
            while !levels.isEmpty {
                let parent = levels.joined(separator: String(IMAPMailboxName.separator))
                levels = levels.dropLast()
                guard result[parent] == nil, matchers.contains(where: { $0.matches(IMAPMailboxName(wire: parent)) }) else { continue }
                let exists = existing.contains(parent)
                if !exists && subscribed.contains(parent) { continue }
                result[parent] = exists
            }
        }
        return result
    }
}

/// LIST-STATUS (RFC 5819): `RETURN (STATUS (…))` adds a STATUS response after each LIST
/// response of a selectable mailbox.
extension IMAPSession {
    func listStatus(_ info: MailboxInfo, attributes: [StatusAttribute], store: any IMAPMailStore,
                    into output: inout SessionOutput) async {
        guard !info.attributes.contains(where: { $0.caseInsensitiveCompare("\\Noselect") == .orderedSame }) else { return }
        // A mailbox deleted meanwhile just has no STATUS (RFC 5819 §2).
        guard let status = try? await store.status(info.name) else { return }
        output.untagged(.status(info.name, Self.statusItems(status, attributes)))
    }

    static func statusItems(_ status: IMAPMailboxStatus, _ attributes: [StatusAttribute]) -> [StatusItem] {
        attributes.map { attribute -> StatusItem in
            switch attribute {
            case .messages: return StatusItem(.messages, status.messages)
            case .recent: return StatusItem(.recent, status.recent)
            case .uidNext: return StatusItem(.uidNext, status.uidNext)
            case .uidValidity: return StatusItem(.uidValidity, status.uidValidity)
            case .unseen: return StatusItem(.unseen, status.unseen)
            case .highestModSeq: return StatusItem(.highestModSeq, status.highestModSeq)
            case .deleted: return StatusItem(.deleted, status.deleted)
            case .deletedStorage: return StatusItem(.deletedStorage, status.deletedStorageKiB)
            case .size: return StatusItem(.size, status.size)
            }
        }
    }
}
