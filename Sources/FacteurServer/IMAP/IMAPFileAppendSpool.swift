import FacteurIMAPCore
import FacteurMailStore
import Foundation
import NIOPosix
import Synchronization

/// A streamed APPEND literal on its way to a mailbox: chunks are converted to CRLF (so that the
/// file size is RFC822.SIZE, RFC 3501 §2.2), gathered up to `IMAPServerLimits.appendSpoolFlush`
/// and written to an `AppendSpool` file in the owner's Maildir `tmp/` on the I/O pool; `finish`
/// has the store fsync it and rename it into the mailbox. The event loop never touches the file.
final class IMAPFileAppendSpool: IMAPAppendSpool {
    let adapter: IMAPStoreAdapter
    let mailbox: String
    let spool: AppendSpool

    private struct Pending {
        var bytes: [UInt8] = []
        /// The last octet received, to tell a CRLF split across two chunks from a bare LF.
        var previous: UInt8 = 0
    }
    private let pending = Mutex(Pending())

    init(adapter: IMAPStoreAdapter, mailbox: String, spool: AppendSpool) {
        self.adapter = adapter; self.mailbox = mailbox; self.spool = spool
    }

    /// A spool nobody finished or aborted (cannot happen through the session) is removed on the
    /// pool, or here when the pool has stopped.
    deinit {
        let spool = self.spool
        adapter.pool.submit { _ in spool.discard() }
    }

    func write(_ bytes: [UInt8]) async throws {
        let full: [UInt8]? = pending.withLock { p in
            p.bytes.reserveCapacity(IMAPServerLimits.appendSpoolFlush + IMAPServerLimits.appendSpoolFlush / 8)
            for byte in bytes {
                if byte == 10 && p.previous != 13 { p.bytes.append(13) }
                p.bytes.append(byte)
                p.previous = byte
            }
            guard p.bytes.count >= IMAPServerLimits.appendSpoolFlush else { return nil }
            defer { p.bytes.removeAll(keepingCapacity: true) }
            return p.bytes
        }
        if let full { try await flush(full) }
    }

    func finish(flags: Set<Flag>, internalDate: Date) async throws -> IMAPAppendResult {
        do {
            let rest = pending.withLock { p in
                defer { p.bytes = [] }
                return p.bytes
            }
            if !rest.isEmpty { try await flush(rest) }
            let (owner, store, mailbox, spool) = (adapter.owner, adapter.store, self.mailbox, self.spool)
            let (system, keywords) = IMAPStoreConversions.storeFlags(flags)
            let admit = adapter.admission()
            let r = try await adapter.run {
                try admit(Int64(spool.size), 1)
                return try store.append(owner: owner, mailbox: mailbox, source: .spool(spool), flags: system, keywords: keywords,
                                 internalDate: internalDate)
            }
            return IMAPAppendResult(uidValidity: r.uidValidity, uid: r.uid)
        } catch {
            await abort()
            throw error
        }
    }

    func abort() async {
        pending.withLock { $0.bytes = [] }
        let spool = self.spool
        do {
            try await adapter.pool.runIfActive { spool.discard() }
        } catch {
            spool.discard()
        }
    }

    private func flush(_ bytes: [UInt8]) async throws {
        let spool = self.spool
        try await adapter.run {
            let failure: MailStoreError? = bytes.withUnsafeBytes { buffer in
                do throws(MailStoreError) { try spool.write(buffer); return nil } catch { return error }
            }
            if let failure { throw failure }
        }
    }
}
