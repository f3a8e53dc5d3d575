/// The mtimes of a mailbox's new/ and cur/, and the rule that decides whether a sync must list
/// a directory again.
///
/// The mailbox row stores, per directory, one of:
/// - `0`: unknown — list it.
/// - `m > 0`: a complete listing was taken when the mtime was `m`, and `m` was older than the
///   scan by more than `MailStoreLimits.directoryMtimeSettle`, so any later change (even within
///   the same coarse timestamp tick) gives a different mtime: list only when the mtime differs.
/// - `-m`: the index was complete, then this store changed the directory itself (a flag
///   rename, an append …) and the mtime became `m`. Another program changing the directory in
///   the same instant would leave the same `m`, so once `m` is old enough one verifying
///   listing is made; until then, and while the mtime stays `m`, nothing is listed. This keeps
///   a busy session on a large mailbox from listing cur/ after each of its own commands.
struct DirectoryTimes: Equatable {
    var new: Int64
    var cur: Int64

    static func read(_ dir: String) -> DirectoryTimes {
        DirectoryTimes(new: MaildirIO.fileStat(dir + "/new")?.mtimeNanos ?? 0,
                       cur: MaildirIO.fileStat(dir + "/cur")?.mtimeNanos ?? 0)
    }

    static func mustList(stored: Int64, current: Int64, now: Int64) -> Bool {
        if stored == 0 { return true }
        if stored > 0 { return stored != current }
        let settle = Int64(MailStoreLimits.directoryMtimeSettle * 1e9)
        return -stored != current || current < now - settle
    }

    /// What to store after this store changed a directory from `before` to `after` while the
    /// index said `stored`; nil to keep `stored`.
    static func afterOwnChange(stored: Int64, before: Int64, after: Int64) -> Int64? {
        if after == before || stored == 0 || abs(stored) != before { return nil }
        return -after
    }
}

extension MailStore {
    /// Records that this store itself changed the directories of `row` (whose stored times are
    /// those `syncLocked` returned, and `before` the mtimes just after that sync).
    func noteOwnChanges(_ row: MailboxRow, dir: String, before: DirectoryTimes) throws {
        let after = DirectoryTimes.read(dir)
        let n = DirectoryTimes.afterOwnChange(stored: row.newMtime, before: before.new, after: after.new)
        let c = DirectoryTimes.afterOwnChange(stored: row.curMtime, before: before.cur, after: after.cur)
        if n == nil && c == nil { return }
        try pool.write { db in
            try db.execute(sql: "UPDATE mailstore_mailbox SET newMtime = ?, curMtime = ? WHERE id = ?",
                           arguments: [n ?? row.newMtime, c ?? row.curMtime, row.id])
        }
    }
}
