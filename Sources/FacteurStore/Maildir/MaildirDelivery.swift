import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Durable delivery into Maildir++ folders (`<root>/<domain>/<local>/{tmp,new,cur}`).
///
/// A message is written once to `tmp/` of its first owner, fsync'd, hard-linked into `new/` of
/// every owner, and every `new/` directory is fsync'd. Only then does `commit()` return, and only
/// then may the SMTP server say 250. A crash at any point leaves either nothing visible or the
/// complete message (the tmp file is not visible to Maildir readers).
public final class MaildirDelivery: Sendable {
    public let mailRoot: String
    let hostname: String
    private let counter = Mutex<UInt64>(0)

    public init(mailRoot: String, hostname: String) {
        self.mailRoot = mailRoot
        // Maildir unique names must not contain '/' or ':' (http://cr.yp.to/proto/maildir.html).
        self.hostname = hostname.replacingOccurrences(of: "/", with: "\\057").replacingOccurrences(of: ":", with: "\\072")
    }

    /// `alice@example.com` → `<root>/example.com/alice`. Owners were validated when created
    /// (`LocalAddress.validate`), so the path cannot escape the root.
    public func maildir(owner: String) -> String {
        let parts = owner.split(separator: "@", maxSplits: 1)
        let local = parts.first.map(String.init) ?? owner
        let domain = parts.count > 1 ? String(parts[1]) : "_"
        return "\(mailRoot)/\(domain)/\(local)"
    }

    /// Creates the Maildir and its tmp/new/cur if missing (mode 0700).
    public func ensureMaildir(owner: String) throws {
        let base = maildir(owner: owner)
        for sub in ["", "/tmp", "/new", "/cur"] {
            try Self.mkdirp(base + sub)
        }
    }

    public static func mkdirp(_ path: String) throws {
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue { return }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw DeliveryError.io("cannot create \(path): \(error.localizedDescription)")
        }
    }

    /// A new unique file name (without the `,S=` size suffix).
    public func uniqueName() -> String {
        var tv = timeval()
        gettimeofday(&tv, nil)
        let n = counter.withLock { c -> UInt64 in c += 1; return c }
        let r = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(tv.tv_sec).M\(tv.tv_usec)P\(getpid())Q\(n)R\(r).\(hostname)"
    }

    /// Opens a spool file for a message to `owners` (at least one).
    public func open(owners: [String]) throws -> SpoolFile {
        try open(owners: owners, uniqueName: uniqueName())
    }

    /// Opens a spool file that `commit()` delivers as `<uniqueName>,S=<size>`. Mail collection
    /// records the name (from `uniqueName()`) before fetching, so that after a crash it can tell
    /// whether the message reached new/ or cur/. The name must not contain '/', ':' or ','.
    public func open(owners: [String], uniqueName name: String) throws -> SpoolFile {
        precondition(!owners.isEmpty, "a message needs an owner")
        guard !name.isEmpty, !name.hasPrefix("."), !name.contains(where: { $0 == "/" || $0 == ":" || $0 == "," }) else {
            throw DeliveryError.io("invalid Maildir unique name '\(name)'")
        }
        for o in owners { try ensureMaildir(owner: o) }
        let tmpPath = maildir(owner: owners[0]) + "/tmp/" + name
        let fd = Glibc.open(tmpPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DeliveryError.errno("create \(tmpPath)", errno) }
        return SpoolFile(delivery: self, owners: owners, name: name, tmpPath: tmpPath, fd: fd)
    }

    static func fsyncDirectory(_ path: String) throws {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw DeliveryError.errno("open directory \(path)", errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw DeliveryError.errno("fsync \(path)", errno) }
    }

    /// Removes files left in `tmp/` by a crash (older than `age`, as the Maildir spec says: 36 h).
    public func cleanTmp(olderThan age: TimeInterval = 36 * 3600, now: Date = Date()) -> Int {
        var removed = 0
        let fm = FileManager.default
        guard let domains = try? fm.contentsOfDirectory(atPath: mailRoot) else { return 0 }
        for d in domains {
            guard let users = try? fm.contentsOfDirectory(atPath: "\(mailRoot)/\(d)") else { continue }
            for u in users {
                let tmp = "\(mailRoot)/\(d)/\(u)/tmp"
                guard let files = try? fm.contentsOfDirectory(atPath: tmp) else { continue }
                for f in files {
                    let p = tmp + "/" + f
                    if let m = (try? fm.attributesOfItem(atPath: p))?[.modificationDate] as? Date, now.timeIntervalSince(m) > age {
                        if unlink(p) == 0 { removed += 1 }
                    }
                }
            }
        }
        return removed
    }
}

public enum DeliveryError: Error, CustomStringConvertible {
    case io(String)
    case errno(String, Int32)

    public var description: String {
        switch self {
        case .io(let s): return s
        case .errno(let what, let e): return "\(what): \(String(cString: strerror(e)))"
        }
    }
}

/// One message being written. Used by one thread at a time; `commit` or `abort` ends it.
public final class SpoolFile {
    let delivery: MaildirDelivery
    public let owners: [String]
    let name: String
    let tmpPath: String
    var fd: Int32
    public private(set) var size = 0
    public private(set) var finalPaths: [String] = []

    init(delivery: MaildirDelivery, owners: [String], name: String, tmpPath: String, fd: Int32) {
        self.delivery = delivery; self.owners = owners; self.name = name; self.tmpPath = tmpPath; self.fd = fd
    }

    deinit { if fd >= 0 { abort() } }

    public func write(_ bytes: [UInt8]) throws {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + off, bytes.count - off) }
            if n < 0 {
                if errno == EINTR { continue }
                throw DeliveryError.errno("write \(tmpPath)", errno)
            }
            off += n
        }
        size += bytes.count
    }

    /// The octets written so far (read back from the spool file, for checks before `commit`).
    public func contents() throws -> [UInt8] {
        let readFD = Glibc.open(tmpPath, O_RDONLY | O_CLOEXEC)
        guard readFD >= 0 else { throw DeliveryError.errno("open \(tmpPath)", errno) }
        defer { close(readFD) }
        var bytes = [UInt8](repeating: 0, count: size)
        var off = 0
        while off < size {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(readFD, $0.baseAddress! + off, size - off) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw DeliveryError.errno("read \(tmpPath)", n == 0 ? EIO : errno) }
            off += n
        }
        return bytes
    }

    /// fsync the file, link it into every owner's `new/` (of the Maildir++ `folder`, e.g. ".Junk",
    /// created if missing), fsync those directories.
    /// Returns the final paths; on error nothing is left visible and the error is thrown.
    @discardableResult
    public func commit(folder: String? = nil) throws -> [String] {
        guard fd >= 0 else { throw DeliveryError.io("spool already closed") }
        guard fsync(fd) == 0 else { let e = errno; abort(); throw DeliveryError.errno("fsync \(tmpPath)", e) }
        close(fd)
        fd = -1
        let finalName = "\(name),S=\(size)"
        var linked: [String] = []
        let sub = folder.map { "/" + $0 } ?? ""
        do {
            for owner in owners {
                let base = delivery.maildir(owner: owner) + sub
                if folder != nil { for d in ["", "/tmp", "/new", "/cur"] { try MaildirDelivery.mkdirp(base + d) } }
                let dest = base + "/new/" + finalName
                guard link(tmpPath, dest) == 0 else { throw DeliveryError.errno("link into \(dest)", errno) }
                linked.append(dest)
            }
            for owner in owners { try MaildirDelivery.fsyncDirectory(delivery.maildir(owner: owner) + sub + "/new") }
        } catch {
            for p in linked { unlink(p) }
            unlink(tmpPath)
            throw error
        }
        unlink(tmpPath)
        finalPaths = linked
        return linked
    }

    public func abort() {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(tmpPath)
    }
}
