import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The provider password of a collect entry: the first line of `password_file`.
enum CollectPasswordFile {
    /// Refuses a file that group or others may read: the password would leak to every local user.
    static func read(_ path: String, limits: CollectLimits = .standard) throws(CollectError) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw .configuration("cannot read password_file \(path): \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .configuration("password_file \(path) is not a regular file") }
        let mode = st.st_mode & 0o777
        guard mode & 0o044 == 0 else {
            throw .configuration("password_file \(path) is readable by group or others (mode \(String(mode, radix: 8))); run: chmod 600 \(path)")
        }
        guard Int(st.st_size) <= limits.passwordFileSize else {
            throw .configuration("password_file \(path) is larger than \(limits.passwordFileSize) bytes")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .configuration("cannot read password_file \(path)")
        }
        let text = String(decoding: data, as: UTF8.self)
        var first = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        if first.hasSuffix("\r") { first.removeLast() }
        guard !first.isEmpty else { throw .configuration("password_file \(path) is empty (the password is its first line)") }
        return first
    }
}
