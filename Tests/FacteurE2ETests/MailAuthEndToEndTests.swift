import FacteurCore
import FacteurServer
import Foundation
import Synchronization
import Testing

/// SPF, DKIM and DMARC at the end of DATA, against a real `facteur` with a dnslib server on
/// loopback publishing the records; smtplib sends from 127.0.0.5, dkimpy signs.
@Suite(.serialized)
struct MailAuthEndToEndTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FacteurMailAuthTests/Fixtures/dkim")

    static func zone() throws -> String {
        let ed25519 = try String(contentsOf: fixtures.appendingPathComponent("ed25519.pub"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        return """
        good.example. 300 IN TXT "v=spf1 ip4:127.0.0.5 -all"
        _dmarc.good.example. 300 IN TXT "v=DMARC1; p=reject"
        sel._domainkey.good.example. 300 IN TXT "v=DKIM1; k=ed25519; p=\(ed25519)"
        bank.example. 300 IN TXT "v=spf1 ip4:192.0.2.1 -all"
        _dmarc.bank.example. 300 IN TXT "v=DMARC1; p=reject"
        shady.example. 300 IN TXT "v=spf1 ?all"
        _dmarc.shady.example. 300 IN TXT "v=DMARC1; p=quarantine"
        softie.example. 300 IN TXT "v=spf1 -all"
        """
    }

    static func server(nameserverPort: Int) throws -> TestServer {
        let s = try TestServer(extra: """
            [dns]
            nameserver = "127.0.0.1:\(nameserverPort)"

            [mailauth]
            trusted_networks = []
            """)
        try s.addUser("bob@example.test")
        try s.start()
        return s
    }

    struct Sent: Decodable { var code: Int; var reply: String }

    func send(_ s: TestServer, mailFrom: String, from: String, subject: String, extraHeader: String = "",
              sign: (selector: String, domain: String)? = nil) throws -> Sent {
        let message = "\(extraHeader)From: <\(from)>\\r\\nTo: bob@example.test\\r\\nSubject: \(subject)\\r\\n\\r\\nHello.\\r\\n"
        var args = ["127.0.0.1", String(s.smtpPort), "127.0.0.5", "client.outside.example", mailFrom, "bob@example.test", message]
        if let sign {
            args += [Self.fixtures.appendingPathComponent("ed25519.key").path, sign.selector, sign.domain, "ed25519-sha256"]
        }
        let r = try TestProcess.python("mailauth_send.py", args)
        guard r.status == 0 else { throw TestFailure("mailauth_send.py failed: \(r.err)") }
        return try JSONDecoder().decode(Sent.self, from: Data(r.out.utf8))
    }

    func files(_ s: TestServer, folder: String) -> [String] {
        let base = s.mailRoot + "/example.test/bob" + folder + "/new"
        return ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).map { base + "/" + $0 }
    }

    /// The check counters of the console's Overview, as a console attaching now receives them.
    func checkCounters(_ s: TestServer) throws -> CheckCounters? {
        let control = try ControlConnection(path: s.dir + "/data/control.sock", client: "test")
        defer { control.close() }
        let snapshot = Mutex<ControlSnapshot?>(nil)
        let got = DispatchSemaphore(value: 0)
        control.setFeed({ message in
            if case let .snapshot(snap) = message { snapshot.withLock { $0 = snap }; got.signal() }
        }, onClose: { _ in got.signal() })
        _ = control.requestBlocking(.watch)
        _ = got.wait(timeout: .now() + 10)
        return snapshot.withLock { $0 }?.activity.counters.checks
    }

    @Test func checksDecideDeliveryJunkAndRejection() throws {
        let dns = try TestDNS(zone: try Self.zone())
        let s = try Self.server(nameserverPort: dns.port)

        // Aligned SPF and DKIM pass: INBOX, our header on top, the forged one gone.
        let good = try send(s, mailFrom: "alice@good.example", from: "alice@good.example", subject: "good",
                            extraHeader: "Authentication-Results: mx.example.test; dmarc=pass header.from=bank.example\\r\\n",
                            sign: ("sel", "good.example"))
        #expect(good.code == 250)
        let inbox = s.messages("bob@example.test")
        #expect(inbox.count == 1)
        let stored = try String(contentsOfFile: try #require(inbox.first), encoding: .utf8)
        #expect(stored.hasPrefix("Authentication-Results: mx.example.test;\r\n"))
        #expect(stored.contains("spf=pass smtp.mailfrom=good.example"))
        #expect(stored.contains("dkim=pass header.d=good.example header.s=sel"))
        #expect(stored.contains("dmarc=pass (p=reject dis=none) header.from=good.example"))
        #expect(!stored.contains("header.from=bank.example"), "the forged Authentication-Results must be removed")
        #expect(stored.contains("Return-Path: <alice@good.example>\r\nReceived: from client.outside.example"))

        // DMARC p=reject, nothing aligned: 550 5.7.1 at the end of DATA, nothing stored.
        let forged = try send(s, mailFrom: "ceo@bank.example", from: "ceo@bank.example", subject: "wire money")
        #expect(forged.code == 550)
        #expect(forged.reply.contains("5.7.1") && forged.reply.contains("DMARC"))

        // p=quarantine: delivered, into Junk.
        let shady = try send(s, mailFrom: "x@shady.example", from: "x@shady.example", subject: "quarantine")
        #expect(shady.code == 250)
        // SPF fail (no DMARC record): Junk too.
        let soft = try send(s, mailFrom: "x@softie.example", from: "x@other.example", subject: "spf fail")
        #expect(soft.code == 250)
        let junk = files(s, folder: "/.Junk")
        #expect(junk.count == 2)
        let junked = junk.map { (try? String(contentsOfFile: $0, encoding: .utf8)) ?? "" }
        #expect(junked.contains { $0.contains("dmarc=fail (p=quarantine dis=quarantine) header.from=shady.example") })
        #expect(junked.contains { $0.contains("spf=fail") && $0.contains("smtp.mailfrom=softie.example") })

        // Our own domain in From:, from outside, not authenticated: refused.
        let own = try send(s, mailFrom: "boss@example.test", from: "boss@example.test", subject: "urgent")
        #expect(own.code == 550)
        #expect(own.reply.contains("our domain"))

        #expect(s.messages("bob@example.test").count == 1, "refused messages are never stored")

        // The console's Overview counts them: good (all pass), bank (SPF and DMARC fail,
        // refused), shady (DMARC fail, Junk), softie (SPF fail, Junk); our own domain: none.
        let counted = try #require(try checkCounters(s))
        var expected = CheckCounters()
        expected.spfPass = 1; expected.spfFail = 2
        expected.dkimPass = 1
        expected.dmarcPass = 1; expected.dmarcFail = 2
        expected.junkDelivered = 2
        #expect(counted == expected)
    }

    @Test func dnsFailureIsATemporaryFailure() throws {
        // Nothing answers on this port: every lookup fails, the verdict stays open → 451.
        let s = try Self.server(nameserverPort: freePort(udp: true))
        let sent = try send(s, mailFrom: "alice@good.example", from: "alice@good.example", subject: "retry")
        #expect(sent.code == 451)
        #expect(sent.reply.contains("4.7.0"))
        #expect(s.messages("bob@example.test").isEmpty)
    }

    @Test func trustedClientsAreNotChecked() throws {
        let dns = try TestDNS(zone: try Self.zone())
        let s = try TestServer(extra: """
            [dns]
            nameserver = "127.0.0.1:\(dns.port)"

            [mailauth]
            trusted_networks = ["127.0.0.5/32"]
            """)
        try s.addUser("bob@example.test")
        try s.start()
        let sent = try send(s, mailFrom: "ceo@bank.example", from: "ceo@bank.example", subject: "from the LAN")
        #expect(sent.code == 250)
        let stored = try String(contentsOfFile: try #require(s.messages("bob@example.test").first), encoding: .utf8)
        #expect(!stored.contains("Authentication-Results"))
    }

    @Test func greylistingDefersUnknownTripletsButNeverNeverBanNetworks() throws {
        let s = try TestServer(extra: """
            [mailauth]
            enabled = false

            [greylist]
            enabled = true
            """)
        try s.addUser("bob@example.test")
        try s.start()
        let first = try send(s, mailFrom: "new@far.example", from: "new@far.example", subject: "hello")
        #expect(first.code == 451)
        #expect(first.reply.contains("4.7.1") && first.reply.contains("Greylisted"))
        // An immediate retry is still early.
        let retry = try send(s, mailFrom: "new@far.example", from: "new@far.example", subject: "hello")
        #expect(retry.code == 451)
        #expect(s.messages("bob@example.test").isEmpty)
        #expect(try checkCounters(s)?.greylisted == 2)
        // 127.0.0.1 is in [guard] never_ban by default: never greylisted.
        let local = try TestProcess.python("mailauth_send.py", ["127.0.0.1", String(s.smtpPort), "127.0.0.1", "localhost",
                                                                "new@far.example", "bob@example.test", "Subject: x\\r\\n\\r\\nHi\\r\\n"])
        #expect(local.out.contains("\"code\": 250"))
        #expect(s.messages("bob@example.test").count == 1)
    }
}
