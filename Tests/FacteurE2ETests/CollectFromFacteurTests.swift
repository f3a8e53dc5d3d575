import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Collection from a second, real Facteur acting as the provider.
/// The provider's user receives mail over SMTP; the collector logs in with STARTTLS / STLS and
/// `tls_verify = false` (the provider's self-signed certificate).
@Suite(.serialized)
struct CollectFromFacteurTests {
    static let t0: TimeInterval = 1_800_000_000
    /// Provider protocols served by Facteur itself.
    static let protocols = ["pop3", "imap"]

    /// The provider: a Facteur with a user shop@other.test that received `count` messages.
    static func provider(receiving count: Int, expect service: String) throws -> TestServer {
        let provider = try TestServer()
        try provider.addUser("shop@other.test", password: "provider pw")
        try provider.start(expect: ["SMTP", service])
        for _ in 0..<count { _ = try scenario("deliver", provider, "shop@other.test") }
        guard provider.messages("shop@other.test").count == count else { throw TestFailure("provider did not store the mail") }
        return provider
    }

    static func collector(for provider: TestServer, proto: String, port: Int, keepDays: Int) throws -> TestServer {
        let holder = NSTemporaryDirectory() + "facteur-pw-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: holder, withIntermediateDirectories: true)
        let pw = holder + "/password"
        try "provider pw\n".write(toFile: pw, atomically: true, encoding: .utf8)
        chmod(pw, 0o600)
        let s = try TestServer(extra: """
            [[collect]]
            name = "provider"
            protocol = "\(proto)"
            host = "127.0.0.1"
            port = \(port)
            tls = "starttls"
            tls_verify = false
            user = "shop@other.test"
            password_file = "\(pw)"
            recipient = "alice@example.test"
            keep_days = \(keepDays)
            """)
        try s.addUser("alice@example.test")
        return s
    }

    @Test(arguments: CollectFromFacteurTests.protocols)
    func collectsFromARealFacteur(proto: String) throws {
        let service = proto.uppercased()
        let provider = try Self.provider(receiving: 3, expect: service)
        let port = try #require(provider.ports[service])
        let s = try Self.collector(for: provider, proto: proto, port: port, keepDays: 0)

        let r = try s.collectOnce(at: Self.t0, ["--entry", "provider"])
        #expect(r.status == 0, "\(r.out) \(r.err)\nprovider log:\n\(provider.log)")
        #expect(r.out.contains("provider: 3 delivered, 3 deleted from the provider"), "\(r.out)")
        #expect(s.messages("alice@example.test").count == 3)
        #expect(s.aliceMessages.allSatisfy { $0.contains("Subject: e2e hello\r\n") && $0.contains("\r\n.leading dot\r\n") })
        #expect(provider.messages("shop@other.test").isEmpty)

        // Again: nothing new, nothing duplicated.
        _ = try scenario("deliver", provider, "shop@other.test")
        try s.collectOnce(at: Self.t0 + 60)
        try s.collectOnce(at: Self.t0 + 120)
        #expect(s.messages("alice@example.test").count == 4)
        #expect(provider.messages("shop@other.test").isEmpty)
    }

    @Test(arguments: CollectFromFacteurTests.protocols)
    func keepDaysLeavesTheMailAtTheRealProvider(proto: String) throws {
        let service = proto.uppercased()
        let provider = try Self.provider(receiving: 2, expect: service)
        let port = try #require(provider.ports[service])
        let s = try Self.collector(for: provider, proto: proto, port: port, keepDays: 2)
        try s.collectOnce(at: Self.t0)
        try s.collectOnce(at: Self.t0 + 2 * 86_400 - 1)
        #expect(s.messages("alice@example.test").count == 2)
        #expect(provider.messages("shop@other.test").count == 2)
        try s.collectOnce(at: Self.t0 + 2 * 86_400)
        #expect(provider.messages("shop@other.test").isEmpty)
        #expect(s.messages("alice@example.test").count == 2)
    }
}
