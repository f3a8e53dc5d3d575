import Foundation
import GRDB

/// One message of a POP3 maildrop (RFC 1939): INBOX only.
public struct POP3Message: Sendable, Equatable {
    /// UIDL: the Maildir unique name, shared with IMAP and stable across sessions.
    public var uniqueID: String
    public var size: Int64
    /// The IMAP UID in INBOX, for `messagePath(owner:mailbox:"INBOX",uid:)`.
    public var uid: UInt32
    /// The message file as of the sync that listed it (another program may rename it later).
    public var path: String
}

/// The POP3 view of INBOX. It changes nothing on listing (no \Seen, no move out of new/), so a
/// POP3 client and IMAP clients see the same messages; deleting over POP3 is an expunge.
extension MailStore {
    /// The INBOX messages in UID order, after a sync: one query, with their paths.
    public func pop3Maildrop(owner: String) throws -> [POP3Message] {
        try withOwner(owner) { ev in
            let row = try syncLocked(owner, .inbox, &ev)
            let dir = try mailboxDirectory(owner, .inbox)
            return try pool.read { db in try IndexedMessage.fetch(db, mailboxID: row.id, uids: nil) }.map {
                POP3Message(uniqueID: Self.pop3UniqueID(base: $0.base), size: $0.size, uid: $0.uid, path: $0.path(in: dir))
            }
        }
    }

    /// Removes the INBOX messages with these unique-ids (the UPDATE state, RFC 1939 §6);
    /// IMAP sessions get them as expunged. Returns how many were removed (ids already gone
    /// are skipped).
    @discardableResult
    public func pop3Delete(owner: String, uniqueIDs: [String]) throws -> Int {
        if uniqueIDs.isEmpty { return 0 }
        return try withOwner(owner) { ev in
            let row = try syncLocked(owner, .inbox, &ev)
            let wanted = Set(uniqueIDs)
            let doomed = try pool.read { db in try IndexedMessage.fetch(db, mailboxID: row.id, uids: nil) }
                .filter { wanted.contains(Self.pop3UniqueID(base: $0.base)) }
            return try removeLocked(owner, .inbox, row, doomed, dir: try mailboxDirectory(owner, .inbox), &ev).count
        }
    }

    /// The base itself when it is a valid unique-id (1–70 chars 0x21…0x7E, RFC 1939 §7),
    /// otherwise `X` + a 64-bit FNV-1a hash of it in hex (stable, since the base never changes).
    public static func pop3UniqueID(base: String) -> String {
        let u = base.utf8
        if !u.isEmpty, u.count <= MailStoreLimits.pop3UniqueIDMaxLength, u.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) { return base }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in u { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        let hex = String(h, radix: 16)
        return "X" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}
