import Dispatch
import FacteurDNS
import FacteurNet

/// What a TCP connection attempt found.
public enum ProbeResult: Sendable, Hashable {
    /// Connected and read this first line (CR LF removed, at most `TCPProbe.maxGreetingBytes`).
    case greeting(String)
    /// Connected; no greeting was asked for.
    case connected
    /// Connected, but nothing arrived before the timeout.
    case noGreeting
    /// Connected, then the peer closed without sending a line.
    case closedWithoutGreeting
    /// Connection refused (RST): nothing listens there.
    case refused
    /// No handshake before the timeout (packets dropped on the way).
    case timedOut
    /// Any other failure (network unreachable …).
    case failed(String)
}

/// The real probe: a non-blocking socket with a deadline, run off the concurrency pool.
public enum TCPProbe {
    /// The greeting line is cut at this many octets.
    public static let maxGreetingBytes = 512

    public static func probe(_ target: SocketAddressText, readGreeting: Bool, timeout: Duration) async -> ProbeResult {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: probeBlocking(target, readGreeting: readGreeting, timeout: timeout))
            }
        }
    }

    static func probeBlocking(_ target: SocketAddressText, readGreeting: Bool, timeout: Duration) -> ProbeResult {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let socket: PosixSocket
        do {
            socket = try PosixSocket(family: target.address, kind: .stream)
            try socket.connect(to: target, deadline: deadline)
        } catch {
            switch error {
            case .refused: return .refused
            case .timedOut: return .timedOut
            case .unreachable(let why), .system(let why): return .failed(why)
            case .closed: return .closedWithoutGreeting
            }
        }
        guard readGreeting else { return .connected }
        var received: [UInt8] = []
        while received.count < maxGreetingBytes, !received.contains(UInt8(ascii: "\n")) {
            do {
                let chunk = try socket.receive(maximum: maxGreetingBytes - received.count, until: deadline)
                if chunk.isEmpty { break }
                received += chunk
            } catch {
                if received.isEmpty { return error == .timedOut ? .noGreeting : .closedWithoutGreeting }
                break
            }
        }
        if received.isEmpty { return .closedWithoutGreeting }
        return .greeting(firstLine(of: received))
    }

    /// The first line as printable text: control characters become `?`.
    static func firstLine(of bytes: [UInt8]) -> String {
        let line = bytes.prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
        return String(decoding: line.map { (0x20...0x7E).contains($0) || $0 >= 0x80 ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}
