import FacteurNet
import FacteurDNS
import FacteurMailAuth
import Foundation

/// Sends one message to rspamd and reads its verdict (blocking socket work off the cooperative
/// pool, bounded by `timeout` and `RspamdProtocol.maxResponseBytes`).
struct RspamdClient: Sendable {
    let server: SocketAddressText
    let timeout: Duration

    enum Failure: Error, CustomStringConvertible {
        case unreachable(String)
        case protocolError(String)
        var description: String {
            switch self {
            case .unreachable(let why): "rspamd unreachable: \(why)"
            case .protocolError(let why): "rspamd: \(why)"
            }
        }
    }

    func check(_ message: [UInt8], envelope: RspamdProtocol.Envelope) async -> Result<RspamdProtocol.Verdict, Failure> {
        let request = RspamdProtocol.request(message: message, envelope: envelope)
        let server = self.server, timeout = self.timeout
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let deadline = ContinuousClock.now.advanced(by: timeout)
                var response: [UInt8] = []
                do throws(SocketFailure) {
                    let socket = try PosixSocket(family: server.address, kind: .stream)
                    try socket.connect(to: server, deadline: deadline)
                    try socket.send(request, until: deadline)
                    while response.count < RspamdProtocol.maxResponseBytes {
                        let chunk = try socket.receive(maximum: 64 * 1024, until: deadline)
                        if chunk.isEmpty { break }
                        response += chunk
                    }
                } catch {
                    if response.isEmpty {
                        continuation.resume(returning: .failure(.unreachable("\(error)")))
                        return
                    }
                }
                switch RspamdProtocol.parse(response: response) {
                case .success(let verdict): continuation.resume(returning: .success(verdict))
                case .failure(let error): continuation.resume(returning: .failure(.protocolError(error.description)))
                }
            }
        }
    }
}
