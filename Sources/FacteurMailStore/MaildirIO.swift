import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The few file-system calls the store makes, with errors as `MailStoreError.io`.
enum MaildirIO {
    struct FileStat: Sendable {
        var size: Int64
        /// Modification time in nanoseconds since the epoch.
        var mtimeNanos: Int64
        var isDirectory: Bool
    }

    static func fileStat(_ path: String) -> FileStat? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return FileStat(size: Int64(st.st_size),
                        mtimeNanos: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec),
                        isDirectory: (st.st_mode & S_IFMT) == S_IFDIR)
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Names in a directory (readdir only), without `.`-names (Maildir ignores them).
    /// With `dotDirectories` it returns only the `.`-names that are directories instead (the
    /// Maildir++ folders; d_type, or stat when the file system does not say).
    static func list(_ path: String, dotDirectories: Bool = false) throws(MailStoreError) -> [String] {
        guard let dir = opendir(path) else { throw .io("open directory \(path)", errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let ent = readdir(dir) {
            let type = ent.pointee.d_type
            let name = withUnsafeBytes(of: ent.pointee.d_name) { raw -> String? in
                let bytes = raw.bindMemory(to: UInt8.self)
                guard let first = bytes.first else { return nil }
                let isDot = first == UInt8(ascii: ".")
                if isDot != dotDirectories { return nil }
                let len = bytes.firstIndex(of: 0) ?? bytes.count
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<len]), as: UTF8.self)
            }
            guard let name, name != ".", name != ".." else { continue }
            if dotDirectories {
                if type == UInt8(DT_DIR) { names.append(name) }
                else if type == UInt8(DT_UNKNOWN), fileStat(path + "/" + name)?.isDirectory == true { names.append(name) }
            } else {
                names.append(name)
            }
        }
        return names
    }

    /// Calls `body(base, suffix)` for every non-dot name in a Maildir subdirectory, splitting at
    /// the first `:` while the name is still bytes (one String allocation less per file).
    static func listMaildir(_ path: String, _ body: (String, String) -> Void) throws(MailStoreError) {
        guard let dir = opendir(path) else { throw .io("open directory \(path)", errno: errno) }
        defer { closedir(dir) }
        while let ent = readdir(dir) {
            withUnsafeBytes(of: ent.pointee.d_name) { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                guard let first = bytes.first, first != UInt8(ascii: "."), first != 0 else { return }
                let len = bytes.firstIndex(of: 0) ?? bytes.count
                let colon = bytes[..<len].firstIndex(of: UInt8(ascii: ":")) ?? len
                let base = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<colon]), as: UTF8.self)
                let suffix = colon == len ? "" : String(decoding: UnsafeBufferPointer(rebasing: bytes[colon..<len]), as: UTF8.self)
                body(base, suffix)
            }
        }
    }

    static func mkdir(_ path: String) throws(MailStoreError) {
        if Glibc.mkdir(path, 0o700) != 0 && errno != EEXIST { throw .io("create \(path)", errno: errno) }
    }

    /// Creates `dir` and its tmp/new/cur (mode 0700).
    static func makeMaildir(_ dir: String) throws(MailStoreError) {
        try mkdirParents(dir)
        for sub in ["tmp", "new", "cur"] { try mkdir(dir + "/" + sub) }
    }

    static func mkdirParents(_ path: String) throws(MailStoreError) {
        if fileStat(path)?.isDirectory == true { return }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path { try mkdirParents(parent) }
        try mkdir(path)
    }

    static func rename(_ from: String, _ to: String) throws(MailStoreError) {
        guard Glibc.rename(from, to) == 0 else { throw .io("rename \(from) to \(to)", errno: errno) }
    }

    static func fsyncDirectory(_ path: String) throws(MailStoreError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io("open directory \(path)", errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .io("fsync \(path)", errno: errno) }
    }

    /// Removes a directory tree (a deleted mailbox, already renamed out of sight).
    static func removeTree(_ path: String) {
        if let names = try? listAll(path) {
            for n in names {
                let p = path + "/" + n
                if fileStat(p)?.isDirectory == true { removeTree(p) } else { unlink(p) }
            }
        }
        rmdir(path)
    }

    private static func listAll(_ path: String) throws(MailStoreError) -> [String] {
        let plain = try list(path)
        guard let dir = opendir(path) else { return plain }
        defer { closedir(dir) }
        var dotted: [String] = []
        while let ent = readdir(dir) {
            let name = withUnsafeBytes(of: ent.pointee.d_name) { raw in
                let bytes = raw.bindMemory(to: UInt8.self)
                let len = bytes.firstIndex(of: 0) ?? bytes.count
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[..<len]), as: UTF8.self)
            }
            if name.hasPrefix("."), name != ".", name != ".." { dotted.append(name) }
        }
        return plain + dotted
    }

    /// Writes all of `bytes` to `fd`.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws(MailStoreError) {
        var off = 0
        while off < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let n = write(fd, base + off, bytes.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                throw .io("write \(path)", errno: errno)
            }
            off += n
        }
    }

    /// Creates `path` exclusively, fills it from `fill`, fsyncs and closes it; sets its mtime.
    /// On error the file is removed. Returns the number of bytes written.
    static func createDurable(_ path: String, mtime: Date?, fill: (Int32) throws(MailStoreError) -> Int) throws(MailStoreError) -> Int {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io("create \(path)", errno: errno) }
        do throws(MailStoreError) {
            let n = try fill(fd)
            guard fsync(fd) == 0 else { throw MailStoreError.io("fsync \(path)", errno: errno) }
            if let mtime { setMtime(fd, mtime) }
            close(fd)
            return n
        } catch {
            close(fd)
            unlink(path)
            throw error
        }
    }

    static func setMtime(_ fd: Int32, _ date: Date) {
        let t = date.timeIntervalSince1970
        let sec = Int(t.rounded(.down))
        let ts = timespec(tv_sec: sec, tv_nsec: Int((t - Double(sec)) * 1e9))
        var times = [ts, ts]
        _ = futimens(fd, &times)
    }

    /// Copies the file at `source` into `fd`; returns the bytes copied.
    static func copy(from source: String, to fd: Int32, path: String) throws(MailStoreError) -> Int {
        let src = open(source, O_RDONLY | O_CLOEXEC)
        guard src >= 0 else { throw .io("open \(source)", errno: errno) }
        defer { close(src) }
        var buffer = [UInt8](repeating: 0, count: MailStoreLimits.copyChunk)
        var total = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { read(src, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io("read \(source)", errno: errno)
            }
            if n == 0 { return total }
            let failure: MailStoreError? = buffer.withUnsafeBytes { b in
                do throws(MailStoreError) {
                    try writeAll(fd, UnsafeRawBufferPointer(rebasing: b[..<n]), path: path)
                    return nil
                } catch { return error }
            }
            if let failure { throw failure }
            total += n
        }
    }

    /// Up to `max` bytes from the start of a file.
    static func readPrefix(_ path: String, max: Int) throws(MailStoreError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io("open \(path)", errno: errno) }
        defer { close(fd) }
        var out = [UInt8](repeating: 0, count: max)
        var got = 0
        while got < max {
            let n = out.withUnsafeMutableBytes { b in b.baseAddress.map { read(fd, $0 + got, max - got) } ?? 0 }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io("read \(path)", errno: errno)
            }
            if n == 0 { break }
            got += n
        }
        out.removeSubrange(got..<out.count)
        return out
    }

    static var realNowNanos: Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// Size of the file with every bare LF counted as CRLF, and a final CRLF if the last line has
    /// none: the message as IMAP and POP3 serve it (one read pass, 64 KiB at a time).
    static func crlfSize(_ path: String) -> Int64? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buf = [UInt8](repeating: 0, count: 65536)
        var total: Int64 = 0
        var previous: UInt8 = 0
        while true {
            let n = read(fd, &buf, buf.count)
            if n < 0 { return nil }
            if n == 0 { break }
            for i in 0..<n {
                let b = buf[i]
                if b == 10 && previous != 13 { total += 1 }
                previous = b
            }
            total += Int64(n)
        }
        if total > 0 && previous != 10 { total += 2 }
        return total
    }
}
