import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client with line reading, for the load generators.
final class LineSocket {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0

    init(host: String, port: Int, source: String? = nil, timeout: Int = 30) throws {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &res) == 0, let ai = res else { throw BenchError("cannot resolve \(host)") }
        defer { freeaddrinfo(res) }
        fd = socket(ai.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket failed") }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if let source {
            // Any 127.x.y.z is a distinct client on loopback.
            var sa = sockaddr_in()
            sa.sin_family = sa_family_t(AF_INET)
            sa.sin_addr.s_addr = inet_addr(source)
            var reuse: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
            let rc = withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
            guard rc == 0 else { close(fd); throw BenchError("bind \(source): \(String(cString: strerror(errno)))") }
        }
        guard connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 else {
            close(fd)
            throw BenchError("connect \(host):\(port): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + off, bytes.count - off, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw BenchError("send: \(String(cString: strerror(errno)))") }
            off += n
        }
    }

    func send(_ s: String) throws { try send(Array(s.utf8)) }

    /// One line without CRLF.
    func readLine() throws -> String {
        let (line, next) = try nextLine()
        defer { start = next }
        return String(decoding: buffer[line], as: UTF8.self)
    }

    /// Reads a multi-line response (POP3 RETR, TOP, LIST …) up to its terminating "." line
    /// without making a string of each line; returns its octets before the terminator, CRLFs
    /// included, as they came (still byte-stuffed).
    func skipMultiline() throws -> Int {
        var octets = 0
        while true {
            let (line, next) = try nextLine()
            start = next
            if line.count == 1, buffer[line.lowerBound] == UInt8(ascii: ".") { return octets }
            octets += line.count + 2
        }
    }

    /// Where the next line is in `buffer` (without CRLF) and where the one after it starts.
    private func nextLine() throws -> (Range<Int>, next: Int) {
        while true {
            let lf = buffer.withUnsafeBytes { raw -> Int? in
                guard start < raw.count, let p = memchr(raw.baseAddress! + start, 10, raw.count - start) else { return nil }
                return raw.baseAddress!.distance(to: UnsafeRawPointer(p))
            }
            if let lf {
                let end = lf > start && buffer[lf - 1] == 13 ? lf - 1 : lf
                return (start..<end, lf + 1)
            }
            try receive()
        }
    }

    /// Appends what the socket has (up to 64 KiB) to `buffer`.
    private func receive() throws {
        if start > 65536 { buffer.removeFirst(start); start = 0 }
        let old = buffer.count, room = 65536
        buffer.append(contentsOf: repeatElement(0, count: room))
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + old, room, 0) }
        buffer.removeLast(room - max(n, 0))
        guard n > 0 else { throw BenchError("connection closed or timed out") }
    }

    /// Reads an SMTP reply (all continuation lines); returns the code.
    func readReply() throws -> Int {
        while true {
            let line = try readLine()
            let chars = Array(line.utf8)
            if chars.count >= 4 && chars[3] == 45 { continue } // "250-"
            guard chars.count >= 3, let code = Int(String(line.prefix(3))) else { throw BenchError("bad reply: \(line)") }
            return code
        }
    }

    /// Whether the server has closed the connection or said its last word (a 421), without waiting.
    func pollClosed() throws -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, 0) >= 0 else { throw BenchError("poll: \(String(cString: strerror(errno)))") }
        guard p.revents != 0 else { return false }
        var peek = [UInt8](repeating: 0, count: 3)
        let n = recv(fd, &peek, 3, Int32(MSG_PEEK | MSG_DONTWAIT))
        return n <= 0 || peek == Array("421".utf8) || p.revents & Int16(POLLHUP | POLLERR) != 0
    }

    /// Reads a fixed number of bytes.
    func readBytes(_ count: Int) throws -> [UInt8] {
        while buffer.count - start < count { try receive() }
        let out = Array(buffer[start..<start + count])
        start += count
        return out
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
