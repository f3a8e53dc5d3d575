import GRDB

/// One `mailstore_mailbox` row.
struct MailboxRow: Sendable {
    var id: Int64
    var owner: String
    var name: String
    var uidValidity: UInt32
    var uidNext: UInt32
    var specialUse: SpecialUse?
    var highestModSeq: Int64
    var newMtime: Int64
    var curMtime: Int64

    static let columns = "id, owner, name, uidValidity, uidNext, specialUse, highestModSeq, newMtime, curMtime"

    init(row: Row) {
        id = row[0]
        owner = row[1]
        name = row[2]
        uidValidity = UInt32(truncatingIfNeeded: row[3] as Int64)
        uidNext = UInt32(truncatingIfNeeded: row[4] as Int64)
        specialUse = (row[5] as String?).flatMap(SpecialUse.init(rawValue:))
        highestModSeq = row[6]
        newMtime = row[7]
        curMtime = row[8]
    }

    static func fetch(_ db: Database, owner: String, name: String) throws -> MailboxRow? {
        try Row.fetchOne(db, sql: "SELECT \(columns) FROM mailstore_mailbox WHERE owner = ? AND name = ?",
                         arguments: [owner, name]).map(MailboxRow.init(row:))
    }

    static func all(_ db: Database, owner: String) throws -> [MailboxRow] {
        try Row.fetchAll(db, sql: "SELECT \(columns) FROM mailstore_mailbox WHERE owner = ? ORDER BY name",
                         arguments: [owner]).map(MailboxRow.init(row:))
    }

    /// Inserts a row with a fresh UIDVALIDITY.
    static func create(_ db: Database, store: MailStore, owner: String, name: String, specialUse: SpecialUse?) throws -> MailboxRow {
        let v = try store.nextUIDValidity(db)
        try db.execute(sql: "INSERT INTO mailstore_mailbox (owner, name, uidValidity, uidNext, specialUse, highestModSeq) VALUES (?, ?, ?, 1, ?, ?)",
                       arguments: [owner, name, Int64(v), specialUse?.rawValue, store.modSeqFloor()])
        guard let row = try fetch(db, owner: owner, name: name) else {
            throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "mailbox row vanished")
        }
        return row
    }

    /// Bumps HIGHESTMODSEQ and returns the new value (RFC 7162 mod-sequence of this change):
    /// one above the last, and never below `floor` (`MailStore.modSeqFloor`, see there why).
    static func bumpModSeq(_ db: Database, id: Int64, floor: Int64) throws -> Int64 {
        try db.execute(sql: "UPDATE mailstore_mailbox SET highestModSeq = MAX(highestModSeq + 1, ?) WHERE id = ?", arguments: [floor, id])
        return try Int64.fetchOne(db, sql: "SELECT highestModSeq FROM mailstore_mailbox WHERE id = ?", arguments: [id]) ?? 1
    }
}
