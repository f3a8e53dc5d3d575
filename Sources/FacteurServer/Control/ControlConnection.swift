import FacteurCore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A client of the control socket: the console (attached or embedded), the command-line tools
/// and the tests. Connecting does the handshake (and explains a version mismatch); then a
/// reader thread of its own matches replies to requests and hands snapshots and events to the
/// feed handler. Blocking sockets on a thread: no event loop is needed in a client.
public final class ControlConnection: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public enum Kind: Sendable { case noServer, refused, versionMismatch, broken }
        public var kind: Kind
        public var description: String
    }

    public let hello: ServerHello
    private let fd: Int32
    private let writeLock = Mutex(())
    private struct Pending {
        var nextID: UInt64 = 0
        var waiting: [UInt64: @Sendable (ControlReply) -> Void] = [:]
        var closed: String?
        var feed: (@Sendable (ServerMessage) -> Void)?
        var onClose: (@Sendable (String) -> Void)?
    }
    private let pending = Mutex(Pending())

    /// Connects and shakes hands; `version` other than the current one is for tests.
    public init(path: String, client: String, version: Int = ControlProtocol.version, timeout: Int = 10) throws(Failure) {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(kind: .broken, description: "socket: \(String(cString: strerror(errno)))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            Glibc.close(fd)
            throw Failure(kind: .broken, description: "control socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { p in for (i, b) in bytes.enumerated() { p[i] = b } }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            let e = errno
            Glibc.close(fd)
            if e == EACCES { throw Failure(kind: .refused, description: "permission denied on \(path): only the user the server runs as, and root, may use the control socket (try sudo)") }
            throw Failure(kind: .noServer, description: "no server is listening on \(path)")
        }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var decoder = ControlFrame.Decoder(limit: ControlLimits.serverFrameBytes)
        // The server speaks first: its hello (or why it refuses).
        let first: [UInt8]
        do { first = try Self.readFrame(fd, &decoder) } catch {
            Glibc.close(fd)
            throw error
        }
        if let (name, v) = ControlCodec.helloVersion(from: first), name == ControlProtocol.name, v != version {
            Glibc.close(fd)
            throw Failure(kind: .versionMismatch, description: "the server at \(path) speaks control protocol \(v), this facteur speaks \(version): use the facteur binary that matches the running server (see /proc/<pid>/exe)")
        }
        let message: ServerMessage
        do { message = try ControlCodec.decode(ServerMessage.self, from: first) } catch {
            Glibc.close(fd)
            throw Failure(kind: .broken, description: "\(path) is not a Facteur control socket (\(error))")
        }
        switch message {
        case let .hello(h): hello = h
        case let .refused(reason):
            Glibc.close(fd)
            throw Failure(kind: .refused, description: "the server refused: \(reason)")
        default:
            Glibc.close(fd)
            throw Failure(kind: .broken, description: "the server did not say hello")
        }
        self.fd = fd
        tv = timeval(tv_sec: 0, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        guard send(.hello(ClientHello(version: version, client: client))) else {
            Glibc.close(fd)
            throw Failure(kind: .broken, description: "cannot write to \(path)")
        }
        let decoderCopy = decoder
        let thread = Thread { [self] in readLoop(decoderCopy) }
        thread.name = "facteur-control-reader"
        thread.start()
    }

    /// Snapshots, events and drop notices go to `feed`; `onClose` hears why the connection ended.
    public func setFeed(_ feed: @escaping @Sendable (ServerMessage) -> Void, onClose: @escaping @Sendable (String) -> Void) {
        let closed: String? = pending.withLock { p in
            p.feed = feed
            p.onClose = onClose
            return p.closed
        }
        if let closed { onClose(closed) }
    }

    /// Sends a command; `reply` is called once, from the reader thread (or at once on failure).
    public func request(_ command: ControlCommand, reply: @escaping @Sendable (ControlReply) -> Void) {
        let (id, closed): (UInt64, String?) = pending.withLock { p in
            if let c = p.closed { return (0, c) }
            p.nextID += 1
            p.waiting[p.nextID] = reply
            return (p.nextID, nil)
        }
        if let closed { reply(.failure("not connected to the server: \(closed)")); return }
        if !send(.request(id: id, command: command)) {
            if let r = pending.withLock({ $0.waiting.removeValue(forKey: id) }) { r(.failure("cannot write to the server")) }
        }
    }

    public func request(_ command: ControlCommand) async -> ControlReply {
        await withCheckedContinuation { c in request(command) { c.resume(returning: $0) } }
    }

    /// For the command-line tools: waits for the reply.
    public func requestBlocking(_ command: ControlCommand, timeout: TimeInterval = 60) -> ControlReply {
        let box = Mutex<ControlReply?>(nil)
        let done = DispatchSemaphore(value: 0)
        request(command) { r in box.withLock { $0 = r }; done.signal() }
        if done.wait(timeout: .now() + timeout) == .timedOut { return .failure("no answer from the server within \(Int(timeout)) s") }
        return box.withLock { $0 } ?? .failure("no answer")
    }

    /// Ends the connection (the reader thread closes the socket).
    public func close() { shutdown(fd, Int32(SHUT_RDWR)) }

    @discardableResult
    private func send(_ message: ClientMessage) -> Bool {
        guard let frame = try? ControlCodec.frame(message) else { return false }
        return writeLock.withLock { _ in
            var off = 0
            while off < frame.count {
                let n = frame.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + off, frame.count - off, Int32(MSG_NOSIGNAL)) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                off += n
            }
            return true
        }
    }

    private static func readFrame(_ fd: Int32, _ decoder: inout ControlFrame.Decoder) throws(Failure) -> [UInt8] {
        var buf = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            do {
                if let f = try decoder.next() { return f }
            } catch { throw Failure(kind: .broken, description: "\(error)") }
            let n = recv(fd, &buf, buf.count, 0)
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { throw Failure(kind: .broken, description: "no answer from the server") }
            if n <= 0 { throw Failure(kind: .broken, description: "the server closed the connection") }
            decoder.append(buf[0..<n])
        }
    }

    private func readLoop(_ initial: ControlFrame.Decoder) {
        var decoder = initial
        var why = "the server closed the connection"
        while true {
            let frame: [UInt8]
            do { frame = try Self.readFrame(fd, &decoder) } catch { why = error.description; break }
            guard let message = try? ControlCodec.decode(ServerMessage.self, from: frame) else { why = "malformed message from the server"; break }
            switch message {
            case let .reply(id, reply):
                pending.withLock { $0.waiting.removeValue(forKey: id) }?(reply)
            case let .refused(reason):
                why = "the server refused: \(reason)"
                Glibc.close(fd)
                return finish(why)
            case .hello:
                continue
            case .snapshot, .events, .dropped:
                pending.withLock { $0.feed }?(message)
            }
        }
        Glibc.close(fd)
        finish(why)
    }

    private func finish(_ why: String) {
        let (waiting, onClose) = pending.withLock { p in
            p.closed = why
            let w = p.waiting
            p.waiting = [:]
            return (w, p.onClose)
        }
        for r in waiting.values { r(.failure("the connection to the server ended: \(why)")) }
        onClose?(why)
    }
}
