import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// Timings of the index on a synthetic mailbox, for the release benchmark tool
/// (`facteur-bench`); unit tests never time anything.
///
/// Targets: first indexing of 100,000 files < 20 s, select < 100 ms (release build).
public enum MailStoreBenchmark {
    public struct Result: Sendable, CustomStringConvertible {
        public var messages: Int
        /// Writing the synthetic files (not part of the store; for context).
        public var createSeconds: Double
        /// First `sync` over an empty index (the rebuild path).
        public var indexSeconds: Double
        /// `select(readOnly: true)` of the indexed mailbox (directories unchanged).
        public var selectSeconds: Double
        /// `messageStates` (FETCH 1:* FLAGS from the index).
        public var flagsFetchSeconds: Double
        /// A `sync` that must list both directories although nothing changed.
        public var rescanSeconds: Double
        /// `select(readOnly: false)` right after one delivery into new/ (lists new/, claims it).
        public var selectAfterDeliverySeconds: Double
        /// `storeFlags(+\Seen)` on 1,000 messages (1,000 renames, one transaction), including
        /// the full listing of cur/ that the previous select's move out of new/ causes.
        public var store1000Seconds: Double

        public var description: String {
            func ms(_ s: Double) -> String { String(format: "%.1f ms", s * 1000) }
            return """
                mailstore: \(messages) messages (create files \(String(format: "%.2f s", createSeconds)))
                  index (first sync)     \(String(format: "%.2f s", indexSeconds))
                  select (unchanged)     \(ms(selectSeconds))
                  fetch 1:* FLAGS        \(ms(flagsFetchSeconds))
                  full rescan, no change \(ms(rescanSeconds))
                  select after delivery  \(ms(selectAfterDeliverySeconds))
                  store +\\Seen ×1000     \(ms(store1000Seconds))
                """
        }
    }

    /// Builds `<directory>/bench.sqlite` and `<directory>/mail/example.test/bench/` with
    /// `messages` files (a tenth of them \Seen, every 50th \Flagged), then times the
    /// operations. `directory` must be empty or absent; it is left in place.
    public static func run(messages count: Int = 100_000, directory: String) throws -> Result {
        try MaildirIO.mkdirParents(directory)
        let pool = try DatabasePool(path: directory + "/bench.sqlite")
        try MailStore.migrate(pool)
        let store = MailStore(pool: pool, mailRoot: directory + "/mail", hostname: "bench.example.test")
        let owner = "bench@example.test"
        let dir = try store.mailboxDirectory(owner, .inbox)
        try MaildirIO.makeMaildir(dir)

        var t = clock()
        let body = Array("From: bench@example.test\r\nSubject: benchmark\r\n\r\nbody\r\n".utf8)
        let start = 1_700_000_000
        for i in 0..<count {
            let flags = (i % 10 == 0 ? ":2,S" : ":2,") + (i % 50 == 0 ? "F" : "")
            let name = "\(start + i / 10).M\(i % 10)P1Q\(i)R0.bench.example.test,S=\(body.count)\(flags)"
            let path = dir + "/cur/" + name
            _ = try MaildirIO.writeSmallFile(path, body)
        }
        // A mailbox that has been still for a while: its directory mtimes are trusted.
        for sub in ["/new", "/cur"] { MaildirIO.setPathMtime(dir + sub, Date(timeIntervalSinceNow: -3600)) }
        let createSeconds = clock() - t

        t = clock()
        try store.sync(owner: owner, mailbox: "INBOX")
        let indexSeconds = clock() - t

        t = clock()
        let snap = try store.select(owner: owner, mailbox: "INBOX", readOnly: true)
        let selectSeconds = clock() - t
        guard snap.count == count else { throw MailStoreError.noSuchMailbox("benchmark indexed \(snap.count) of \(count)") }

        t = clock()
        _ = try store.messageStates(owner: owner, mailbox: "INBOX")
        let flagsSeconds = clock() - t

        try pool.write { db in try db.execute(sql: "UPDATE mailstore_mailbox SET newMtime = 0, curMtime = 0") }
        t = clock()
        try store.sync(owner: owner, mailbox: "INBOX")
        let rescanSeconds = clock() - t

        _ = try MaildirIO.writeSmallFile(dir + "/new/\(start + count).M0P1Q0R0.bench.example.test,S=\(body.count)", body)
        t = clock()
        let after = try store.select(owner: owner, mailbox: "INBOX", readOnly: false)
        let selectAfterDelivery = clock() - t
        guard after.recent.count == 1 else { throw MailStoreError.noSuchMailbox("benchmark delivery not seen") }

        let some = Array(snap.messages.prefix(1000).map(\.uid))
        t = clock()
        try store.storeFlags(owner: owner, mailbox: "INBOX", uids: some, operation: .add, flags: .seen)
        let storeSeconds = clock() - t

        return Result(messages: count, createSeconds: createSeconds, indexSeconds: indexSeconds, selectSeconds: selectSeconds,
                      flagsFetchSeconds: flagsSeconds, rescanSeconds: rescanSeconds,
                      selectAfterDeliverySeconds: selectAfterDelivery, store1000Seconds: storeSeconds)
    }

    private static func clock() -> Double { Double(MaildirIO.monotonicNanos) / 1e9 }
}

extension MaildirIO {
    static var monotonicNanos: Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Writes a small file without fsync (benchmark and tests only).
    static func writeSmallFile(_ path: String, _ bytes: [UInt8]) throws(MailStoreError) -> Int {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io("create \(path)", errno: errno) }
        defer { close(fd) }
        let failure: MailStoreError? = bytes.withUnsafeBytes { p in
            do throws(MailStoreError) { try writeAll(fd, p, path: path); return nil } catch { return error }
        }
        if let failure { throw failure }
        return bytes.count
    }

    static func setPathMtime(_ path: String, _ date: Date) {
        let t = date.timeIntervalSince1970
        let sec = Int(t.rounded(.down))
        let ts = timespec(tv_sec: sec, tv_nsec: Int((t - Double(sec)) * 1e9))
        var times = [ts, ts]
        _ = utimensat(AT_FDCWD, path, &times, 0)
    }
}
