import Foundation
import GRDB

/// One `mailstore_message` row as the operations need it.
struct IndexedMessage: Sendable {
    var uid: UInt32
    var base: String
    var suffix: String
    var inNew: Bool
    var flags: MessageFlags
    var keywords: [String]
    var recent: Bool
    var internalDate: Double
    var size: Int64
    var modSeq: Int64

    static let columns = "uid, base, suffix, inNew, flags, keywords, recent, internalDate, size, modSeq"
}

extension IndexedMessage {
    init(row: Row) {
        uid = UInt32(truncatingIfNeeded: row[0] as Int64)
        base = row[1]
        suffix = row[2]
        inNew = row[3]
        flags = MessageFlags(rawValue: UInt8(truncatingIfNeeded: row[4] as Int64))
        keywords = Keywords.decode(row[5])
        recent = row[6]
        internalDate = row[7]
        size = row[8]
        modSeq = row[9]
    }

    var filename: String { base + suffix }
    func path(in dir: String) -> String { dir + (inNew ? "/new/" : "/cur/") + base + suffix }
    var state: MessageState { MessageState(uid: uid, flags: flags, keywords: keywords) }

    /// The rows of `uids` (all rows when nil), ordered by UID. Large sets read the whole
    /// mailbox once instead of issuing many IN queries.
    static func fetch(_ db: Database, mailboxID: Int64, uids: [UInt32]?) throws -> [IndexedMessage] {
        let sql = "SELECT \(columns) FROM mailstore_message WHERE mailboxID = ?"
        guard let uids else {
            return try Row.fetchAll(db, sql: sql + " ORDER BY uid", arguments: [mailboxID]).map(IndexedMessage.init(row:))
        }
        if uids.isEmpty { return [] }
        if uids.count > 200 {
            let wanted = Set(uids)
            var out: [IndexedMessage] = []
            let cursor = try Row.fetchCursor(db, sql: sql + " ORDER BY uid", arguments: [mailboxID])
            while let r = try cursor.next() {
                let uid = UInt32(truncatingIfNeeded: r[0] as Int64)
                if wanted.contains(uid) { out.append(IndexedMessage(row: r)) }
            }
            return out
        }
        let list = Set(uids).sorted().map(String.init).joined(separator: ",")
        return try Row.fetchAll(db, sql: sql + " AND uid IN (\(list)) ORDER BY uid", arguments: [mailboxID]).map(IndexedMessage.init(row:))
    }
}
