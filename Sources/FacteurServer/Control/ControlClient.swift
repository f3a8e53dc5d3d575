import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking client for the control socket, for the command-line tools.
public struct ControlClient {
    public struct Unavailable: Error, CustomStringConvertible { public var description: String }
    public let path: String

    public init(path: String) { self.path = path }

    public func send(_ request: ControlRequest, timeout: Int = 10) throws -> ControlResponse {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Unavailable(description: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { throw Unavailable(description: "socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &addr.sun_path) { p in
            for (i, b) in bytes.enumerated() { p[i] = b }
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else { throw Unavailable(description: "no server is listening on \(path)") }
        var line = try JSONEncoder().encode(request)
        line.append(10)
        let sent = line.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        guard sent == line.count else { throw Unavailable(description: "cannot write to \(path)") }
        var reply = [UInt8]()
        var buf = [UInt8](repeating: 0, count: 65536)
        while !reply.contains(10) {
            let n = recv(fd, &buf, buf.count, 0)
            if n <= 0 { break }
            reply += buf[0..<n]
            if reply.count > 64 << 20 { break }
        }
        guard let nl = reply.firstIndex(of: 10) else { throw Unavailable(description: "no answer from the server") }
        return try JSONDecoder().decode(ControlResponse.self, from: Data(reply[..<nl]))
    }
}
