import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A message being received for APPEND (an IMAP literal streamed in chunks), spooled to a file
/// in the owner's Maildir `tmp/`: the same file system as every folder, so `append(…, source:
/// .spool(…))` renames it into place instead of copying it, and no message is ever held whole
/// in memory.
///
/// Blocking, like the rest of the store: call it from an I/O thread. The file is removed by
/// `discard()`, by `append` (which consumes the spool whether it succeeds or throws), and, as a
/// last resort, when the object is freed without either.
public final class AppendSpool: Sendable {
    public let path: String

    private struct State {
        /// -1 once sealed (the file is complete, closed and durable) or discarded.
        var fd: Int32
        var size: Int = 0
        /// The file no longer belongs to the spool (renamed into a mailbox, or removed).
        var released = false
    }
    private let state: Mutex<State>

    init(path: String, fd: Int32) {
        self.path = path
        state = Mutex(State(fd: fd))
    }

    deinit { discard() }

    /// Octets written so far.
    public var size: Int { state.withLock { $0.size } }

    /// Appends `bytes` to the file (stored as given: the caller converts line ends).
    public func write(_ bytes: UnsafeRawBufferPointer) throws(MailStoreError) {
        let failure: MailStoreError? = state.withLock { s in
            guard s.fd >= 0 else { return MailStoreError.io("write \(path)", errno: EBADF) }
            do throws(MailStoreError) { try MaildirIO.writeAll(s.fd, bytes, path: path) } catch { return error }
            s.size += bytes.count
            return nil
        }
        if let failure { throw failure }
    }

    /// Removes the file (idempotent; nothing happens once the message was stored).
    public func discard() {
        state.withLock { s in
            if s.fd >= 0 { close(s.fd); s.fd = -1 }
            if !s.released { unlink(path); s.released = true }
        }
    }

    /// fsync, INTERNALDATE as mtime, close; returns the size. Part of `append`.
    func seal(mtime: Date) throws(MailStoreError) -> Int {
        let result: Result<Int, MailStoreError> = state.withLock { s in
            guard s.fd >= 0, !s.released else { return .failure(.io("seal \(path)", errno: EBADF)) }
            defer { close(s.fd); s.fd = -1 }
            guard fsync(s.fd) == 0 else { return .failure(.io("fsync \(path)", errno: errno)) }
            MaildirIO.setMtime(s.fd, mtime)
            return .success(s.size)
        }
        return try result.get()
    }

    /// Moves the sealed file to `destination`; the spool no longer owns it. Part of `append`.
    func place(at destination: String) throws(MailStoreError) {
        let failure: MailStoreError? = state.withLock { s in
            guard !s.released else { return MailStoreError.io("rename \(path)", errno: ENOENT) }
            do throws(MailStoreError) { try MaildirIO.rename(path, destination) } catch { return error }
            s.released = true
            return nil
        }
        if let failure { throw failure }
    }
}

extension MailStore {
    /// Spool files start with this in the owner's `tmp/`, then `P<pid>-`: a spool of another
    /// process is a leftover of a crash and `ensureUser` removes it.
    static let appendSpoolPrefix = "append-spool-"

    /// Opens an empty spool file for a message to append (see `AppendSpool`).
    public func openAppendSpool(owner: String) throws(MailStoreError) -> AppendSpool {
        let user = try userDirectory(owner)
        let path = user + "/tmp/" + Self.appendSpoolPrefix + "P\(getpid())-" + UUID().uuidString
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io("create \(path)", errno: errno) }
        return AppendSpool(path: path, fd: fd)
    }

    /// True for a spool file left by another process (a crash or a kill in mid-APPEND).
    static func isStaleAppendSpool(_ name: String) -> Bool {
        name.hasPrefix(appendSpoolPrefix) && !name.hasPrefix(appendSpoolPrefix + "P\(getpid())-")
    }
}
