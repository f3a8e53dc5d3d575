#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A non-blocking pipe that wakes the UI thread's `poll`: one byte per wake-up, and signal
/// handlers write their own bytes ("I" interrupt, "T" terminate, "W" window size).
final class SelfPipe: Sendable {
    let readFD: Int32
    let writeFD: Int32

    static let wakeByte: UInt8 = UInt8(ascii: "w")
    static let interruptByte: UInt8 = UInt8(ascii: "I")
    static let resizeByte: UInt8 = UInt8(ascii: "W")
    static let terminateByte: UInt8 = UInt8(ascii: "T")

    init() throws(ConsoleError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw .system("pipe", errno) }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readFD = fds[0]; writeFD = fds[1]
    }

    /// Never blocks: a full pipe already means "wake up".
    func wake(_ byte: UInt8 = SelfPipe.wakeByte) {
        var b = byte
        _ = write(writeFD, &b, 1)
    }

    /// Everything written since the last drain.
    func drain() -> [UInt8] {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 256)
        while true {
            let n = read(readFD, &buf, buf.count)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return out
    }

    func close() {
        _ = Glibc.close(readFD)
        _ = Glibc.close(writeFD)
    }
}
