#if canImport(Glibc)
import Glibc
#endif

/// A message file read in chunks on the I/O pool for RETR / TOP. The future chain in
/// `POP3Handler` guarantees one user at a time, as `SpoolBox` does for SMTP.
final class MessageFileReader: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private var fd: Int32

    /// Opens the file (blocking).
    init(path: String) throws {
        fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(description: "open \(path): \(String(cString: strerror(errno)))") }
    }

    /// Up to `count` octets; empty at the end of the file (blocking).
    func read(upTo count: Int) throws -> [UInt8] {
        guard fd >= 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        while true {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, count) }
            if n >= 0 {
                bytes.removeLast(count - n)
                return bytes
            }
            if errno != EINTR { throw Failure(description: "read: \(String(cString: strerror(errno)))") }
        }
    }

    func close() {
        if fd >= 0 { _ = Glibc.close(fd); fd = -1 }
    }

    deinit { close() }
}
