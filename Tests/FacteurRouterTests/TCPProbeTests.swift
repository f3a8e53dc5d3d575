import Testing
import FacteurDNS
@testable import FacteurRouter
import FacteurNet

/// The real probe, only against servers this test runs on loopback.
struct TCPProbeTests {
    @Test func readsGreeting() async throws {
        let server = try LoopbackGreetingServer(on: ["127.0.0.1"], behaviour: .greet("220 mail.example.test ESMTP Facteur"))
        defer { server.stop() }
        let target = SocketAddressText(address: ip("127.0.0.1"), port: server.port)
        #expect(await TCPProbe.probe(target, readGreeting: true, timeout: .seconds(2)) == .greeting("220 mail.example.test ESMTP Facteur"))
        #expect(await TCPProbe.probe(target, readGreeting: false, timeout: .seconds(2)) == .connected)
    }

    @Test func reportsRefused() async throws {
        let target = SocketAddressText(address: ip("127.0.0.1"), port: try closedLoopbackPort())
        #expect(await TCPProbe.probe(target, readGreeting: true, timeout: .seconds(2)) == .refused)
    }

    @Test func reportsSilence() async throws {
        let server = try LoopbackGreetingServer(on: ["127.0.0.1"], behaviour: .silent)
        defer { server.stop() }
        let target = SocketAddressText(address: ip("127.0.0.1"), port: server.port)
        #expect(await TCPProbe.probe(target, readGreeting: true, timeout: .milliseconds(300)) == .noGreeting)
    }

    @Test func reportsCloseWithoutGreeting() async throws {
        let server = try LoopbackGreetingServer(on: ["127.0.0.1"], behaviour: .close)
        defer { server.stop() }
        let target = SocketAddressText(address: ip("127.0.0.1"), port: server.port)
        #expect(await TCPProbe.probe(target, readGreeting: true, timeout: .seconds(2)) == .closedWithoutGreeting)
    }

    @Test func firstLineIsCutAndCleaned() {
        #expect(TCPProbe.firstLine(of: Array("* OK ready\r\nmore".utf8)) == "* OK ready")
        #expect(TCPProbe.firstLine(of: [0x2B, 0x4F, 0x4B, 0x07, 0x20]) == "+OK? ")
    }
}
