import Foundation
// Shared by the DNS and router tests (a library target under Tests/).
import FacteurDNS
import FacteurNet

/// A tiny authoritative DNS server on 127.0.0.1 with a random port, UDP and TCP, answering
/// from a static table. Test-only; it never talks to anything but loopback.
public final class LoopbackDNSServer: @unchecked Sendable {
    public enum Reply: Sendable {
        case message(DNSMessage)
        case raw([UInt8])
        case drop
    }

    public typealias Handler = @Sendable (_ query: DNSMessage, _ overTCP: Bool) -> Reply

    public let address: SocketAddressText
    private let udp: PosixSocket
    private let tcp: PosixSocket
    private let handler: Handler
    private let lock = NSLock()
    private var stopped = false
    private var udpQueries = 0

    public init(handler: @escaping Handler) throws {
        let loopback = SocketAddressText(address: .v4([127, 0, 0, 1]), port: 0)
        // The UDP port the kernel picks may be taken for TCP (another test's listener or
        // connection): try again with another port rather than fail the test.
        var attempt = 0
        while true {
            let udp = try PosixSocket(family: loopback.address, kind: .datagram)
            let port = try udp.bindAndListen(loopback)
            let tcp = try PosixSocket(family: loopback.address, kind: .stream)
            do {
                _ = try tcp.bindAndListen(SocketAddressText(address: loopback.address, port: port))
                self.udp = udp; self.tcp = tcp
                address = SocketAddressText(address: loopback.address, port: port)
                break
            } catch {
                attempt += 1 // both sockets are closed as they go out of scope
                if attempt >= 20 { throw error }
            }
        }
        self.handler = handler
        Thread { [self] in serveUDP() }.start()
        Thread { [self] in serveTCP() }.start()
    }

    public convenience init(zone: TestZone) throws {
        try self.init { query, overTCP in zone.reply(to: query, overTCP: overTCP) }
    }

    /// Datagrams received so far.
    public var udpQueryCount: Int { lock.withLock { udpQueries } }

    public func stop() { lock.withLock { stopped = true } }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func serveUDP() {
        while !isStopped {
            guard let (bytes, from, length) = try? udp.receiveFrom(maximum: 65_535, until: .now.advanced(by: .milliseconds(50))) else { continue }
            lock.withLock { udpQueries += 1 }
            guard let query = try? DNSMessage.decode(bytes) else { continue }
            switch handler(query, false) {
            case .drop: continue
            case .raw(let raw): udp.sendTo(raw, address: from, length: length)
            case .message(let message): if let raw = try? message.encode() { udp.sendTo(raw, address: from, length: length) }
            }
        }
    }

    private func serveTCP() {
        while !isStopped {
            guard let client = try? tcp.accept(until: .now.advanced(by: .milliseconds(50))) else { continue }
            let deadline = ContinuousClock.now.advanced(by: .seconds(2))
            var buffer: [UInt8] = []
            while buffer.count < 2 || buffer.count < 2 + (Int(buffer[0]) << 8 | Int(buffer[1])) {
                guard let chunk = try? client.receive(maximum: 4096, until: deadline), !chunk.isEmpty else { break }
                buffer += chunk
            }
            guard buffer.count >= 2, let query = try? DNSMessage.decode(Array(buffer.dropFirst(2))) else { continue }
            var raw: [UInt8]
            switch handler(query, true) {
            case .drop: continue
            case .raw(let bytes): raw = bytes
            case .message(let message): raw = (try? message.encode()) ?? []
            }
            raw = [UInt8(raw.count >> 8), UInt8(raw.count & 0xFF)] + raw
            try? client.send(raw, until: deadline)
        }
    }
}

/// Static records answered by `LoopbackDNSServer`. Names not present give NXDOMAIN; present
/// names without the asked type give NOERROR with no answer.
public struct TestZone: Sendable {
    public init() {}
    public var records: [DNSResourceRecord] = []
    /// Names answered with SERVFAIL.
    public var failing: Set<DNSName> = []
    /// Names never answered.
    public var silent: Set<DNSName> = []
    /// Names whose UDP answer is truncated (TC bit, no records); TCP gets the full answer.
    public var truncatedOverUDP: Set<DNSName> = []

    public mutating func add(_ name: String, ttl: UInt32 = 300, _ data: DNSRecordData) {
        guard let owner = try? DNSName(name) else { return }
        records.append(DNSResourceRecord(name: owner, ttl: ttl, data: data))
    }

    public func reply(to query: DNSMessage, overTCP: Bool) -> LoopbackDNSServer.Reply {
        guard let question = query.questions.first else { return .drop }
        if silent.contains(question.name) { return .drop }
        var header = DNSHeader(id: query.header.id, isResponse: true, authoritative: true,
                               recursionDesired: query.header.recursionDesired, recursionAvailable: true)
        var response = DNSMessage(header: header, questions: query.questions)
        if failing.contains(question.name) {
            response.header.responseCode = .serverFailure
            return .message(response)
        }
        if truncatedOverUDP.contains(question.name) && !overTCP {
            header.truncated = true
            response.header = header
            return .message(response)
        }
        var owner = question.name
        var chain = 0
        while chain < 8 {
            let owned = records.filter { $0.name == owner }
            let matching = owned.filter { $0.type == question.type }
            if !matching.isEmpty { response.answers += matching; break }
            if let alias = owned.first(where: { $0.type == .cname }), case .cname(let target) = alias.data {
                response.answers.append(alias)
                owner = target
                chain += 1
                continue
            }
            if owned.isEmpty && response.answers.isEmpty { response.header.responseCode = .nameError }
            break
        }
        return .message(response)
    }
}
