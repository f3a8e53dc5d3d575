import FacteurTestSupport
import Foundation
import Testing
@testable import FacteurDNS
import FacteurNet

/// The resolver against `LoopbackDNSServer` on 127.0.0.1: nothing leaves the machine.
struct DNSResolverTests {
    static func zone() throws -> TestZone {
        var zone = TestZone()
        zone.add("mail.example.test", .a(.v4([127, 0, 0, 10])))
        zone.add("mail.example.test", .a(.v4([127, 0, 0, 11])))
        zone.add("mail.example.test", .aaaa(try #require(IPAddress("2001:db8::25"))))
        zone.add("example.test", .mx(preference: 20, exchange: try DNSName("backup.example.test")))
        zone.add("example.test", .mx(preference: 10, exchange: try DNSName("mail.example.test")))
        zone.add("example.test", .txt([Array("v=spf1 ".utf8), Array("mx -all".utf8)]))
        zone.add("www.example.test", .cname(try DNSName("alias.example.test")))
        zone.add("alias.example.test", .cname(try DNSName("mail.example.test")))
        zone.add("10.0.0.127.in-addr.arpa", .ptr(try DNSName("mail.example.test")))
        zone.add(ReverseName.pointerName(for: try #require(IPAddress("2001:db8::25"))), .ptr(try DNSName("mail6.example.test")))
        zone.add("big.example.test", .txt([Array(repeating: 0x78, count: 200)]))
        zone.failing = [try DNSName("broken.example.test")]
        zone.silent = [try DNSName("silent.example.test")]
        zone.truncatedOverUDP = [try DNSName("big.example.test")]
        return zone
    }

    func makeServer() throws -> (DNSResolver, LoopbackDNSServer) {
        let server = try LoopbackDNSServer(zone: Self.zone())
        return (DNSResolver(nameserver: server.address, timeout: .milliseconds(300), retries: 1), server)
    }

    @Test func looksUpAddresses() async throws {
        let (resolver, server) = try makeServer()
        defer { server.stop() }
        do {
            #expect(try await resolver.lookupA("mail.example.test") == ["127.0.0.10", "127.0.0.11"])
            #expect(try await resolver.lookupA("MAIL.EXAMPLE.TEST.") == ["127.0.0.10", "127.0.0.11"])
            #expect(try await resolver.lookupAAAA("mail.example.test") == ["2001:db8::25"])
        }
    }

    @Test func followsCNAMEChain() async throws {
        let (resolver, server) = try makeServer()
        defer { server.stop() }
        do {
            #expect(try await resolver.lookupA("www.example.test") == ["127.0.0.10", "127.0.0.11"])
            let records = try await resolver.records("www.example.test", type: .cname)
            #expect(records.map(\.data) == [.cname(try DNSName("alias.example.test"))])
        }
    }

    @Test func looksUpMXSortedByPreference() async throws {
        let (resolver, server) = try makeServer()
        defer { server.stop() }
        do {
            let exchanges = try await resolver.lookupMX("example.test")
            #expect(exchanges == [DNSMailExchange(preference: 10, exchange: "mail.example.test"),
                                  DNSMailExchange(preference: 20, exchange: "backup.example.test")])
        }
    }

    @Test func looksUpPTRForBothFamilies() async throws {
        let (resolver, server) = try makeServer()
        defer { server.stop() }
        do {
            #expect(try await resolver.lookupPTR("127.0.0.10") == ["mail.example.test"])
            #expect(try await resolver.lookupPTR("2001:db8::25") == ["mail6.example.test"])
            await #expect(throws: DNSLookupError.invalidName("not-an-ip")) { _ = try await resolver.lookupPTR("not-an-ip") }
        }
    }

    @Test func looksUpTXTJoiningStrings() async throws {
        let (resolver, server) = try makeServer()
        defer { server.stop() }
        do {
            #expect(try await resolver.lookupTXT("example.test") == ["v=spf1 mx -all"])
        }
    }

    @Test func distinguishesNXDOMAINFromNoData() async throws {
        let (resolver, server) = try makeServer()
        defer { server.stop() }
        do {
            await #expect(throws: DNSLookupError.nameDoesNotExist("nothing.example.test")) {
                _ = try await resolver.lookupA("nothing.example.test")
            }
            await #expect(throws: DNSLookupError.noData("example.test", .a)) { _ = try await resolver.lookupA("example.test") }
            await #expect(throws: DNSLookupError.noData("mail.example.test", .mx)) { _ = try await resolver.lookupMX("mail.example.test") }
        }
    }

    @Test func reportsServerFailure() async throws {
        let (resolver, server) = try makeServer()
        defer { server.stop() }
        do {
            await #expect(throws: DNSLookupError.serverFailure(.serverFailure)) { _ = try await resolver.lookupA("broken.example.test") }
        }
    }

    @Test func timesOutAfterRetries() async throws {
        let (resolver, server) = try makeServer()
        defer { server.stop() }
        do {
            let before = server.udpQueryCount
            await #expect(throws: DNSLookupError.timeout) { _ = try await resolver.lookupA("silent.example.test") }
            #expect(server.udpQueryCount - before == 2)
        }
    }

    @Test func fallsBackToTCPWhenTruncated() async throws {
        let (resolver, server) = try makeServer()
        defer { server.stop() }
        do {
            let texts = try await resolver.lookupTXT("big.example.test")
            #expect(texts == [String(repeating: "x", count: 200)])
        }
    }

    @Test func rejectsInvalidName() async throws {
        let (resolver, server) = try makeServer()
        defer { server.stop() }
        do {
            await #expect(throws: DNSLookupError.invalidName("a..b")) { _ = try await resolver.lookupA("a..b") }
        }
    }

    @Test func ignoresAnswersWithAnotherID() async throws {
        let server = try LoopbackDNSServer { query, _ in
            var header = query.header
            header.id &+= 1
            header.isResponse = true
            return .message(DNSMessage(header: header, questions: query.questions))
        }
        defer { server.stop() }
        let resolver = DNSResolver(nameserver: server.address, timeout: .milliseconds(200), retries: 0)
        await #expect(throws: DNSLookupError.timeout) { _ = try await resolver.lookupA("example.test") }
    }

    @Test func rejectsAnswerToAnotherQuestion() async throws {
        let server = try LoopbackDNSServer { query, _ in
            var header = query.header
            header.isResponse = true
            let other = DNSQuestion(name: (try? DNSName("other.test")) ?? .root, type: .a)
            return .message(DNSMessage(header: header, questions: [other]))
        }
        defer { server.stop() }
        let resolver = DNSResolver(nameserver: server.address, timeout: .milliseconds(500), retries: 0)
        await #expect(throws: DNSLookupError.malformedResponse("question does not match")) { _ = try await resolver.lookupA("example.test") }
    }

    @Test func malformedAnswerIsAnErrorNotACrash() async throws {
        let server = try LoopbackDNSServer { query, _ in
            // Our ID and QR bit, then a header claiming one question whose name is a pointer loop.
            .raw(Wire.u16(query.header.id) + Wire.u16(0x8180) + Wire.u16(1) + Wire.u16(0) + Wire.u16(0) + Wire.u16(0) + [0xC0, 0x0C])
        }
        defer { server.stop() }
        let resolver = DNSResolver(nameserver: server.address, timeout: .milliseconds(500), retries: 0)
        await #expect(throws: DNSLookupError.malformedResponse("compressionLoop(offset: 12)")) { _ = try await resolver.lookupA("example.test") }
    }

    @Test func unreachableServerIsATransportError() async throws {
        // Take a free loopback port, then close it: nothing listens there any more.
        let port: UInt16 = try {
            let probe = try PosixSocket(family: .v4([127, 0, 0, 1]), kind: .datagram)
            return try probe.bindAndListen(SocketAddressText(address: .v4([127, 0, 0, 1]), port: 0))
        }()
        let resolver = DNSResolver(nameserver: SocketAddressText(address: .v4([127, 0, 0, 1]), port: port),
                                   timeout: .milliseconds(300), retries: 1)
        await #expect(throws: DNSLookupError.transport("connection refused")) { _ = try await resolver.lookupA("example.test") }
    }
}

/// Retry logic with a scripted transport: no sockets at all.
struct DNSResolverRetryTests {
    final class ScriptedTransport: DNSTransport, @unchecked Sendable {
        private let lock = NSLock()
        private var udpCalls = 0
        private let timeoutsBeforeAnswer: Int

        init(timeoutsBeforeAnswer: Int) { self.timeoutsBeforeAnswer = timeoutsBeforeAnswer }

        var calls: Int { lock.withLock { udpCalls } }

        func exchangeUDP(_ query: [UInt8], with server: SocketAddressText, timeout: Duration,
                         accepts: @escaping @Sendable ([UInt8]) -> Bool) async throws(DNSLookupError) -> [UInt8] {
            let call = lock.withLock { udpCalls += 1; return udpCalls }
            if call <= timeoutsBeforeAnswer { throw .timeout }
            guard let message = try? DNSMessage.decode(query) else { throw .malformedResponse("test") }
            var header = message.header
            header.isResponse = true
            let answer = DNSResourceRecord(name: message.questions[0].name, ttl: 5, data: .a(.v4([127, 0, 0, 1])))
            let reply = (try? DNSMessage(header: header, questions: message.questions, answers: [answer]).encode()) ?? []
            #expect(accepts(reply))
            return reply
        }

        func exchangeTCP(_ query: [UInt8], with server: SocketAddressText, timeout: Duration) async throws(DNSLookupError) -> [UInt8] {
            throw .transport("unused")
        }
    }

    @Test(arguments: [(0, 2, true), (2, 2, true), (3, 2, false), (1, 0, false)])
    func retriesOnlyAsConfigured(timeouts: Int, retries: Int, succeeds: Bool) async {
        let transport = ScriptedTransport(timeoutsBeforeAnswer: timeouts)
        let resolver = DNSResolver(nameserver: SocketAddressText(address: .v4([127, 0, 0, 1]), port: 53), retries: retries, transport: transport)
        let result: Result<[String], DNSLookupError>
        do { result = .success(try await resolver.lookupA("a.test")) } catch { result = .failure(error) }
        #expect(result == (succeeds ? .success(["127.0.0.1"]) : .failure(.timeout)))
        #expect(transport.calls == min(timeouts + 1, retries + 1))
    }
}
