import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One message of an atomic append (`MailStore.appendAll`).
public struct AppendItem: Sendable {
    /// `.bytes` or `.spool` (`.file` is copied like `.bytes`).
    public var source: AppendSource
    public var flags: MessageFlags
    public var keywords: [String]
    public var internalDate: Date?

    public init(source: AppendSource, flags: MessageFlags = [], keywords: [String] = [], internalDate: Date? = nil) {
        self.source = source; self.flags = flags; self.keywords = keywords; self.internalDate = internalDate
    }
}

/// MULTIAPPEND (RFC 3502 §6.3.11: "all or none") and CATENATE: several messages become visible
/// in one step. Each is first made durable in tmp/ (spools already are there), then all are
/// renamed into cur/ and indexed in one transaction, under the owner's lock; if anything fails,
/// every file this call wrote or placed is removed and the index is untouched.
extension MailStore {
    @discardableResult
    public func appendAll(owner: String, mailbox: String, items: [AppendItem]) throws -> [AppendResult] {
        // Spools are consumed whatever happens (a placed spool's discard does nothing).
        defer { for item in items { if case .spool(let spool) = item.source { spool.discard() } } }
        let n = try MailboxName(mailbox)
        for item in items {
            for k in item.keywords { try Keywords.validate(k) }
            if Keywords.merge([], item.keywords).count > MailStoreLimits.maxKeywordsPerMessage {
                throw MailStoreError.invalidKeyword("more than \(MailStoreLimits.maxKeywordsPerMessage) keywords")
            }
        }
        guard !items.isEmpty else { return [] }
        return try withOwner(owner) { ev in
            let row = try syncLocked(owner, n, &ev)
            let dir = try mailboxDirectory(owner, n)
            let before = DirectoryTimes.read(dir)
            var staged: [String] = []     // durable files in tmp/ written here
            var placed: [String] = []     // files renamed into cur/
            var messages: [IndexedMessage] = []
            do {
                // 1. Every message durable, none visible.
                var sources: [(tmp: String?, spool: AppendSpool?, message: IndexedMessage)] = []
                for item in items {
                    let date = item.internalDate ?? now()
                    let name = uniqueName(time: date)
                    let kw = Keywords.merge([], item.keywords)
                    let letters = kw.isEmpty ? [] : MaildirKeywords.ensuring(kw, in: dir).letters(kw)
                    func indexed(size: Int) -> IndexedMessage {
                        IndexedMessage(uid: 0, base: "\(name),S=\(size)",
                                       suffix: MaildirFilename.suffix(flags: item.flags, keywordLetters: letters, keeping: ""),
                                       inNew: false, flags: item.flags, keywords: kw, recent: true,
                                       internalDate: date.timeIntervalSince1970, size: Int64(size), modSeq: 0)
                    }
                    switch item.source {
                    case .spool(let spool):
                        sources.append((nil, spool, indexed(size: try spool.seal(mtime: date))))
                    case .bytes(let bytes):
                        let tmp = dir + "/tmp/" + name
                        staged.append(tmp)
                        let size = try MaildirIO.createDurable(tmp, mtime: date) { fd throws(MailStoreError) in
                            let failure: MailStoreError? = bytes.withUnsafeBytes { p in
                                do throws(MailStoreError) { try MaildirIO.writeAll(fd, p, path: tmp); return nil } catch { return error }
                            }
                            if let failure { throw failure }
                            return bytes.count
                        }
                        sources.append((tmp, nil, indexed(size: size)))
                    case .file(let path):
                        let tmp = dir + "/tmp/" + name
                        staged.append(tmp)
                        let size = try MaildirIO.createDurable(tmp, mtime: date) { fd throws(MailStoreError) in
                            try MaildirIO.copy(from: path, to: fd, path: tmp)
                        }
                        sources.append((tmp, nil, indexed(size: size)))
                    }
                }
                // 2. All into cur/, then one index transaction.
                for source in sources {
                    let destination = source.message.path(in: dir)
                    if let spool = source.spool {
                        try spool.place(at: destination)
                    } else if let tmp = source.tmp {
                        try MaildirIO.rename(tmp, destination)
                    }
                    placed.append(destination)
                    messages.append(source.message)
                }
                try MaildirIO.fsyncDirectory(dir + "/cur")
                let uids = try insertLocked(owner, n, row, messages, &ev)
                try noteOwnChanges(row, dir: dir, before: before)
                guard uids.count == messages.count else { throw MailStoreError.noSuchMailbox(n.canonical) }
                return uids.map { AppendResult(uidValidity: row.uidValidity, uid: $0) }
            } catch {
                for path in placed + staged { unlink(path) }
                try? MaildirIO.fsyncDirectory(dir + "/cur")
                throw error
            }
        }
    }
}
