import Foundation
import FacteurDNS
@testable import FacteurRouter
import FacteurNet

/// A TCP server on one or more 127.x addresses sharing one random port.
final class LoopbackGreetingServer: @unchecked Sendable {
    enum Behaviour: Sendable {
        case greet(String)
        case silent
        case close
    }

    let port: UInt16
    private let sockets: [PosixSocket]
    private let behaviour: Behaviour
    private let lock = NSLock()
    private var stopped = false
    private var held: [PosixSocket] = []

    init(on addresses: [String], behaviour: Behaviour) throws {
        var sockets: [PosixSocket] = []
        var port: UInt16 = 0
        for text in addresses {
            guard let address = IPAddress(text), address.isLoopback else { throw SocketFailure.system("loopback only") }
            let socket = try PosixSocket(family: address, kind: .stream)
            port = try socket.bindAndListen(SocketAddressText(address: address, port: port))
            sockets.append(socket)
        }
        self.port = port
        self.sockets = sockets
        self.behaviour = behaviour
        for socket in sockets { Thread { [self] in serve(socket) }.start() }
    }

    func stop() { lock.withLock { stopped = true; held.removeAll() } }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func serve(_ listener: PosixSocket) {
        while !isStopped {
            guard let client = try? listener.accept(until: .now.advanced(by: .milliseconds(50))) else { continue }
            switch behaviour {
            case .greet(let line):
                try? client.send(Array((line + "\r\n").utf8), until: .now.advanced(by: .seconds(1)))
                lock.withLock { held.append(client) }
            case .silent:
                lock.withLock { held.append(client) }
            case .close:
                continue
            }
        }
    }
}

/// A free loopback TCP port: bound, then closed, so nothing listens there.
func closedLoopbackPort(_ address: String = "127.0.0.1") throws -> UInt16 {
    let socket = try PosixSocket(family: .v4([127, 0, 0, 1]), kind: .stream)
    return try socket.bindAndListen(SocketAddressText(address: IPAddress(address) ?? .v4([127, 0, 0, 1]), port: 0))
}

/// Answers from tables; anything not listed is NXDOMAIN.
struct FakeResolver: DNSLookupService {
    var a: [String: Result<[String], DNSLookupError>] = [:]
    var aaaa: [String: Result<[String], DNSLookupError>] = [:]
    var mx: [String: Result<[DNSMailExchange], DNSLookupError>] = [:]
    var ptr: [String: Result<[String], DNSLookupError>] = [:]

    func lookupA(_ name: String) async throws(DNSLookupError) -> [String] { try (a[name] ?? .failure(.nameDoesNotExist(name))).get() }
    func lookupAAAA(_ name: String) async throws(DNSLookupError) -> [String] { try (aaaa[name] ?? .failure(.nameDoesNotExist(name))).get() }
    func lookupMX(_ name: String) async throws(DNSLookupError) -> [DNSMailExchange] { try (mx[name] ?? .failure(.nameDoesNotExist(name))).get() }
    func lookupPTR(_ address: String) async throws(DNSLookupError) -> [String] { try (ptr[address] ?? .failure(.nameDoesNotExist(address))).get() }
    func lookupTXT(_ name: String) async throws(DNSLookupError) -> [String] { throw .nameDoesNotExist(name) }
}

/// Everything injected: probe answers come from a table keyed by `address:port`, default refused.
final class FakeRouterEnvironment: RouterEnvironment, @unchecked Sendable {
    var interfaces: [LANAddress]
    var gateways: [DefaultGateway]
    var discovered: IPAddress?
    var probes: [String: ProbeResult]
    let resolver: any DNSLookupService
    private let lock = NSLock()
    private var probed: [String] = []

    init(interfaces: [LANAddress], gateways: [DefaultGateway] = [], discovered: IPAddress? = nil,
         probes: [String: ProbeResult] = [:], resolver: any DNSLookupService = FakeResolver()) {
        self.interfaces = interfaces
        self.gateways = gateways
        self.discovered = discovered
        self.probes = probes
        self.resolver = resolver
    }

    var probedTargets: [String] { lock.withLock { probed } }

    func lanAddresses() -> [LANAddress] { interfaces }
    func defaultGateways() -> [DefaultGateway] { gateways }
    func discoverPublicAddress() async -> IPAddress? { discovered }

    func probe(_ target: SocketAddressText, readGreeting: Bool, timeout: Duration) async -> ProbeResult {
        lock.withLock { probed.append(target.description) }
        return probes[target.description] ?? .refused
    }
}

/// The real TCP probe and a real resolver, with the LAN and public addresses injected as
/// 127.x and public ports mapped to the random ports of loopback servers.
struct LoopbackRouterEnvironment: RouterEnvironment {
    var interfaces: [LANAddress]
    var gateways: [DefaultGateway]
    var resolver: any DNSLookupService
    var publicAddress: IPAddress
    var publicPortMap: [UInt16: UInt16]

    func lanAddresses() -> [LANAddress] { interfaces }
    func defaultGateways() -> [DefaultGateway] { gateways }
    func discoverPublicAddress() async -> IPAddress? { nil }

    func probe(_ target: SocketAddressText, readGreeting: Bool, timeout: Duration) async -> ProbeResult {
        // Never anything but loopback, whatever a test configures.
        guard target.address.isLoopback else { return .failed("test refused non-loopback \(target)") }
        var mapped = target
        if target.address == publicAddress, let port = publicPortMap[target.port] { mapped.port = port }
        return await TCPProbe.probe(mapped, readGreeting: readGreeting, timeout: timeout)
    }
}

func ip(_ text: String) -> IPAddress { IPAddress(text) ?? .v4([0, 0, 0, 0]) }
