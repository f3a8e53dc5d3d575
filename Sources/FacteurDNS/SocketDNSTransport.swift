import Dispatch
import FacteurNet

/// UDP and TCP exchange over POSIX sockets. The blocking work runs on a Dispatch queue so
/// that it never occupies a Swift concurrency thread.
public struct SocketDNSTransport: DNSTransport {
    public init() {}

    public func exchangeUDP(_ query: [UInt8], with server: SocketAddressText, timeout: Duration,
                            accepts: @escaping @Sendable ([UInt8]) -> Bool) async throws(DNSLookupError) -> [UInt8] {
        try await Self.offload { () throws(SocketFailure) -> [UInt8] in
            let deadline = ContinuousClock.now.advanced(by: timeout)
            let socket = try PosixSocket(family: server.address, kind: .datagram)
            try socket.connect(to: server, deadline: deadline)
            try socket.send(query, until: deadline)
            while true {
                let datagram = try socket.receive(maximum: DNSLimits.udpReceiveBytes, until: deadline)
                if accepts(datagram) { return datagram }
            }
        }
    }

    /// RFC 1035 §4.2.2: each message is prefixed by a two-octet length.
    public func exchangeTCP(_ query: [UInt8], with server: SocketAddressText,
                            timeout: Duration) async throws(DNSLookupError) -> [UInt8] {
        try await Self.offload { () throws(SocketFailure) -> [UInt8] in
            let deadline = ContinuousClock.now.advanced(by: timeout)
            let socket = try PosixSocket(family: server.address, kind: .stream)
            try socket.connect(to: server, deadline: deadline)
            try socket.send([UInt8(query.count >> 8), UInt8(query.count & 0xFF)] + query, until: deadline)
            var buffer: [UInt8] = []
            var expected: Int?
            while true {
                if expected == nil, buffer.count >= 2 {
                    expected = Int(buffer[0]) << 8 | Int(buffer[1])
                }
                if let expected, buffer.count >= expected + 2 { return Array(buffer[2..<(expected + 2)]) }
                let chunk = try socket.receive(maximum: 16 * 1024, until: deadline)
                guard !chunk.isEmpty else { throw .closed }
                buffer += chunk
            }
        }
    }

    private static func offload(_ work: @escaping @Sendable () throws(SocketFailure) -> [UInt8]) async throws(DNSLookupError) -> [UInt8] {
        let result: Result<[UInt8], DNSLookupError> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(SocketFailure) {
                    continuation.resume(returning: .success(try work()))
                } catch {
                    continuation.resume(returning: .failure(Self.lookupError(error)))
                }
            }
        }
        return try result.get()
    }

    static func lookupError(_ failure: SocketFailure) -> DNSLookupError {
        switch failure {
        case .timedOut: .timeout
        case .refused: .transport("connection refused")
        case .unreachable(let why): .transport(why)
        case .closed: .transport("connection closed")
        case .system(let why): .transport(why)
        }
    }
}
