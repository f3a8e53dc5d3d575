import Foundation
import FacteurMIME

/// FETCH (RFC 3501 §6.4.5, §7.4.2).
extension IMAPSession {
    func fetch(_ uids: [UInt32], attributes: [FetchAttribute], mailbox: inout SelectedMailbox,
               store: any IMAPMailStore, into output: inout SessionOutput) async throws {
        let needsContent = attributes.contains { attribute in
            switch attribute {
            case .flags, .internalDate, .rfc822Size, .uid, .modSeq: return false
            default: return true
            }
        }
        let setsSeen = !mailbox.readOnly && attributes.contains { $0.setsSeen }
        for uid in uids {
            guard let sequence = mailbox.sequenceNumber(of: uid), var record = mailbox.record(uid: uid) else { continue }
            var message: MIMEMessage?
            if needsContent {
                // A message expunged by another session meanwhile is skipped (RFC 2180 §4.1.2).
                guard let bytes = try await Self.bytesIfPresent(mailbox.name, uid: uid, store: store) else { continue }
                message = MIMEMessage(LineEndings.crlf(bytes))
            }
            var flagsChanged = false
            if setsSeen && !record.flags.contains(.seen) {
                let changed = try await store.storeFlags(mailbox.name, uids: [uid], flags: [.seen], mode: .add, unchangedSince: nil)
                mailbox.update(flags: changed.flags, modSeqs: changed.modSeqs)
                // Storage's flags may hold a keyword another session just set: announced first.
                for response in mailbox.announceKeywords(in: changed.flags.values.joined()) { output.untagged(response) }
                record = mailbox.record(uid: uid) ?? record
                flagsChanged = true
            }
            var items: [FetchResponseItem] = []
            for attribute in attributes {
                items.append(try item(attribute, record: record, message: message, mailbox: mailbox))
            }
            // RFC 3501 §6.4.5: an implicit \Seen change is reported with the data.
            if flagsChanged && !attributes.contains(.flags) { items.append(.flags(mailbox.visibleFlags(record))) }
            // RFC 7162 §3.1.4: and with its new mod-sequence once CONDSTORE is enabled.
            if flagsChanged && mailbox.reportsModSeq && !attributes.contains(.modSeq) { items.append(.modSeq(record.modSeq)) }
            output.untagged(.fetch(sequence, items))
        }
    }

    private func item(_ attribute: FetchAttribute, record: MessageRecord, message: MIMEMessage?,
                      mailbox: SelectedMailbox) throws(BinaryDecodingError) -> FetchResponseItem {
        let empty = MIMEMessage([])
        let message = message ?? empty
        switch attribute {
        case .flags: return .flags(mailbox.visibleFlags(record))
        case .internalDate:
            let offset = configuration.timeZone.secondsFromGMT(for: record.internalDate) / 60
            return .internalDate(IMAPDateTime(date: record.internalDate, zoneMinutes: offset))
        case .rfc822Size: return .rfc822Size(record.size)
        case .uid: return .uid(record.uid)
        case .modSeq: return .modSeq(record.modSeq)
        case .envelope: return .envelope(message.envelope)
        case .bodyStructure: return .bodyStructure(message.bodyStructure)
        case .bodyStructureWithoutExtensions: return .body(message.bodyStructure)
        case .rfc822: return .rfc822(message.bytes)
        case .rfc822Header: return .rfc822Header(message.headerBytes)
        case .rfc822Text: return .rfc822Text(message.textBytes)
        case .bodySection(_, let section, let partial):
            let data = message.section(section).map { MIMEMessage.partial($0, partial) }
            return .bodySection(section, origin: partial?.lowerBound, data: data)
        case .binary(_, let part, let partial):
            let data = try message.binarySection(part).map { MIMEMessage.partial($0, partial) }
            return .binary(part: part, origin: partial?.lowerBound, data: data)
        case .binarySize(let part):
            // A part that does not exist has no content: size 0 (RFC 3516 §4.2 gives no NIL form).
            return .binarySize(part: part, size: try message.binarySection(part)?.count ?? 0)
        }
    }

    /// The message octets, or nil when storage no longer has the message.
    static func bytesIfPresent(_ mailbox: IMAPMailboxName, uid: UInt32, store: any IMAPMailStore) async throws -> [UInt8]? {
        do {
            return try await store.messageBytes(mailbox, uid: uid)
        } catch IMAPStoreError.nonexistent {
            return nil
        }
    }
}
