import FacteurStore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One collect entry's `CollectionLedger`, kept as JSON in `<data_dir>/collect/<entry>.json`.
///
/// Why a file and not a table in facteur.sqlite: each save must be durable before the next step
/// (deliver, delete), and a file written as tmp + fsync + rename + fsync(dir) is exactly that,
/// with no dependence on the database's synchronous mode; entries are independent files, so a
/// run never rewrites another entry's state; and the administrator can read (or move away) the
/// state of one entry with a text editor. The lock file beside it serialises runs of one entry
/// across processes (`facteur collect --once` from cron while `facteur serve` polls).
struct CollectLedgerFile: Sendable {
    let path: String
    let lockPath: String

    init(directory: String, entry: String) {
        let safe = Self.fileName(entry)
        path = directory + "/" + safe + ".json"
        lockPath = directory + "/" + safe + ".lock"
    }

    /// Entry names are free text: keep [A-Za-z0-9._-], percent-encode the rest, no leading dot.
    static func fileName(_ entry: String) -> String {
        var out = ""
        for byte in entry.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || (c == "." && !out.isEmpty)) {
                out.append(c)
            } else {
                out += String(format: "%%%02X", byte)
            }
        }
        return out.isEmpty ? "%00" : out
    }

    /// Takes the entry's lock without waiting; nil if another run (in this or another process)
    /// holds it. flock(2) locks die with the process, so a crash never leaves a stale lock.
    func tryLock() throws(CollectError) -> CollectLock? {
        do { try MaildirDelivery.mkdirp((path as NSString).deletingLastPathComponent) }
        catch { throw .ledger("\(error)") }
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .ledger("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let e = errno
            close(fd)
            if e == EWOULDBLOCK { return nil }
            throw .ledger("cannot lock \(lockPath): \(String(cString: strerror(e)))")
        }
        return CollectLock(fd: fd)
    }

    /// The saved ledger, or an empty one if none was saved yet. An unreadable file is an error,
    /// never silently an empty ledger: that would fetch again everything still on the provider.
    func load(limits: CollectLimits) throws(CollectError) -> CollectionLedger {
        guard FileManager.default.fileExists(atPath: path) else { return CollectionLedger() }
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
        guard size <= limits.ledgerFileSize else { throw .ledger("\(path) is larger than \(limits.ledgerFileSize) bytes") }
        guard let data = FileManager.default.contents(atPath: path) else { throw .ledger("cannot read \(path)") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        do { return try decoder.decode(CollectionLedger.self, from: data) }
        catch {
            throw .ledger("\(path) is unreadable (\(error)); move it away to start over (messages still on the provider are then collected again)")
        }
    }

    /// Writes atomically and durably: tmp, fsync, rename over the old file, fsync the directory.
    func save(_ ledger: CollectionLedger) throws(CollectError) {
        let data: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            encoder.dateEncodingStrategy = .secondsSince1970
            data = try encoder.encode(ledger)
        } catch { throw .ledger("cannot encode: \(error)") }
        let tmp = path + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .ledger("cannot create \(tmp): \(String(cString: strerror(errno)))") }
        var failure: String?
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = "write \(tmp): \(String(cString: strerror(errno)))"
                    return
                }
                offset += n
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = "fsync \(tmp): \(String(cString: strerror(errno)))" }
        close(fd)
        if failure == nil && rename(tmp, path) != 0 { failure = "rename \(tmp): \(String(cString: strerror(errno)))" }
        if let failure {
            unlink(tmp)
            throw .ledger(failure)
        }
        let dir = open((path as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dir >= 0 else { throw .ledger("cannot open the ledger directory: \(String(cString: strerror(errno)))") }
        defer { close(dir) }
        guard fsync(dir) == 0 else { throw .ledger("fsync of the ledger directory: \(String(cString: strerror(errno)))") }
    }
}

/// A held entry lock; released by `release()` or when dropped.
final class CollectLock {
    private var fd: Int32

    init(fd: Int32) { self.fd = fd }

    deinit { release() }

    func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }
}
