import FacteurCore
import FacteurMailStore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The free space of the data folder, as the server exposes it: `.storage` is published at
/// start and whenever the disk becomes full or has room again (the console's Overview shows
/// it); a write that failed for lack of space makes it look at once.
public final class StorageWatch: Sendable {
    /// Full below this much free space: 4 MiB, or 1 % of a disk smaller than 400 MiB.
    static let reserve: UInt64 = 4 * 1024 * 1024

    let path: String
    let hub: EventHub
    private let last = Mutex<StorageStatus?>(nil)

    init(path: String, hub: EventHub) {
        self.path = path
        self.hub = hub
    }

    /// The last measurement (nil before the first).
    public var status: StorageStatus? { last.withLock { $0 } }

    /// Measures now; publishes when it is the first measurement or fullness changed.
    @discardableResult
    public func check() -> StorageStatus? {
        guard let (free, total) = Self.space(at: path) else { return nil }
        let status = StorageStatus(path: path, freeBytes: free, full: free < min(Self.reserve, total / 100))
        let changed = last.withLock { l -> Bool in
            defer { l = status }
            return l?.full != status.full
        }
        if changed { hub.publish(.storage(status)) }
        return status
    }

    /// Free (for unprivileged writers) and total bytes of the file system holding `path`.
    static func space(at path: String) -> (free: UInt64, total: UInt64)? {
        var s = statvfs()
        guard statvfs(path, &s) == 0 else { return nil }
        let unit = UInt64(s.f_frsize == 0 ? s.f_bsize : s.f_frsize)
        return (UInt64(s.f_bavail) * unit, UInt64(s.f_blocks) * unit)
    }

    /// Whether a failed write failed for lack of space (ENOSPC, EDQUOT, SQLite's SQLITE_FULL).
    static func isDiskFull(_ error: any Error) -> Bool {
        if case MailStoreError.io(_, let code) = error, code == ENOSPC || code == EDQUOT { return true }
        if let posix = error as? POSIXError, posix.code == .ENOSPC || posix.code == .EDQUOT { return true }
        let text = String(describing: error)
        return text.contains("SQLITE_FULL") || text.contains("database or disk is full") || text.contains("No space left")
    }
}
