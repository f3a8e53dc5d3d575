import Foundation
import Testing

/// JSON output of a POP3 scenario script (scripts/pop3_scenarios.py).
func pop3Scenario(_ name: String, _ server: TestServer, port: Int? = nil, _ args: String...,
                  timeout: TimeInterval = 120) throws -> [String: Any] {
    let r = try TestProcess.python("pop3_scenarios.py", [name, "127.0.0.1", String(port ?? server.pop3Port)] + args,
                                   timeout: timeout)
    guard r.status == 0, let data = r.out.split(separator: "\n").last.map({ Data($0.utf8) }),
          let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw TestFailure("\(name) failed (\(r.status)): \(r.out) \(r.err)\nserver log:\n\(server.log)")
    }
    return obj
}

extension TestServer {
    /// A server with POP3 on a plain and an implicit-TLS loopback listener, and these users
    /// (password "secret").
    static func pop3(plaintextNetworks: [String] = [], users: [String] = ["alice@example.test"],
                     top: String = "") throws -> TestServer {
        let s = try TestServer(top: top)
        var cfg = try String(contentsOfFile: s.configPath, encoding: .utf8)
        let networks = plaintextNetworks.map { "\"\($0)\"" }.joined(separator: ", ")
        let pop3 = "[pop3]\nlisten = [\"127.0.0.1:0\"]"
        guard cfg.contains(pop3) else { throw TestFailure("TestServer's [pop3] section changed") }
        cfg = cfg.replacingOccurrences(of: pop3, with: pop3 + "\nlisten_tls = [\"127.0.0.1:0\"]\nplaintext_networks = [\(networks)]")
        try cfg.write(toFile: s.configPath, atomically: true, encoding: .utf8)
        for user in users { try s.addUser(user) }
        try s.start(expect: ["SMTP", "POP3", "POP3S"])
        return s
    }

    var pop3Port: Int { ports["POP3"] ?? 0 }
    var pop3sPort: Int { ports["POP3S"] ?? 0 }

    /// Delivers a message over SMTP (smtplib) whose subject is `subject`.
    func deliver(to rcpt: String, subject: String) throws {
        let r = try pop3Scenario("deliver", self, port: smtpPort, rcpt, subject)
        guard r["refused"] as? Int == 0 else { throw TestFailure("delivery refused: \(r)") }
    }

    /// The Maildir unique name of a message file (up to the first ':').
    static func uniqueName(_ path: String) -> String {
        String((path as NSString).lastPathComponent.prefix { $0 != ":" })
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? -1
    }
}

@Suite(.serialized)
struct POP3EndToEndTests {
    @Test func stlsSessionListsAndRetrievesWhatSMTPDelivered() throws {
        let s = try TestServer.pop3(top: "log_level = \"debug\"")
        try s.deliver(to: "alice@example.test", subject: "first")
        try s.deliver(to: "alice@example.test", subject: "second")
        let files = s.messages("alice@example.test")
        try #require(files.count == 2)
        let r = try pop3Scenario("session", s, "alice@example.test", "secret")

        #expect((r["greeting"] as? String)?.hasPrefix("+OK mx.example.test POP3 server ready") == true)
        let before = r["capa_before"] as? [String] ?? []
        for capability in ["TOP", "UIDL", "USER", "SASL", "STLS", "RESP-CODES", "PIPELINING"] {
            #expect(before.contains(capability), "CAPA lacks \(capability)")
        }
        #expect((r["capa_after"] as? [String])?.contains("STLS") == false)
        #expect((r["tls_version"] as? String)?.hasPrefix("TLSv1.") == true)
        #expect((r["pass"] as? String)?.hasPrefix("+OK maildrop has 2 messages") == true)

        // Files are in delivery order; POP3 sizes are the stored CRLF sizes.
        let sizes = files.map(TestServer.fileSize)
        let ordered = files.sorted { a, b in
            let ma = (try? FileManager.default.attributesOfItem(atPath: a))?[.modificationDate] as? Date ?? .distantPast
            let mb = (try? FileManager.default.attributesOfItem(atPath: b))?[.modificationDate] as? Date ?? .distantPast
            return ma == mb ? a < b : ma < mb
        }
        #expect(r["stat"] as? [Int] == [2, sizes.reduce(0, +)])
        #expect(r["list"] as? [String] == ordered.enumerated().map { "\($0.offset + 1) \(TestServer.fileSize($0.element))" })
        #expect(r["uidl"] as? [String] == ordered.enumerated().map { "\($0.offset + 1) \(TestServer.uniqueName($0.element))" })

        let retr = r["retr"] as? [String] ?? []
        #expect((r["retr_status"] as? String)?.hasPrefix("+OK \(TestServer.fileSize(ordered[0])) octets") == true)
        #expect(retr.contains("Subject: first"))
        #expect(retr.contains(".leading dot"))       // stuffed on the wire, unstuffed by poplib
        #expect(retr.last == "last line")
        let storedLines = try String(contentsOfFile: ordered[0], encoding: .utf8).components(separatedBy: "\r\n").dropLast()
        #expect(retr == Array(storedLines))
        let top0 = r["top0"] as? [String] ?? []
        #expect(top0.last == "" && top0.contains("Subject: first") && !top0.contains("First line of first."))
        let top1 = r["top1"] as? [String] ?? []
        #expect(top1.suffix(2) == ["", "First line of first."])
        #expect(r["retr_missing"] as? String == "-ERR no such message")
        #expect((r["quit"] as? String)?.hasPrefix("+OK") == true)
        #expect(s.messages("alice@example.test").count == 2)
        #expect(s.log.contains("pop3 127.0.0.1 login alice@example.test"))
        // Command events: 0 for +OK, 1 for -ERR.
        for line in ["pop3 STLS → 0", "pop3 PASS → 0", "pop3 RETR → 0", "pop3 TOP → 0", "pop3 RETR → 1", "pop3 QUIT → 0"] {
            #expect(s.log.contains(line), "log lacks \(line)")
        }
    }

    @Test func authPlainWithAndWithoutInitialResponse() throws {
        let s = try TestServer.pop3(users: ["alice@example.test", "bob@example.test"])
        try s.deliver(to: "alice@example.test", subject: "hello")
        // A bare local part means the first configured domain.
        let r = try pop3Scenario("auth_plain", s, "alice", "secret")
        #expect((r["initial"] as? String)?.hasPrefix("+OK maildrop has 1 messages") == true)
        #expect((r["stat"] as? String)?.hasPrefix("+OK 1 ") == true)
        #expect(r["continuation"] as? String == "+ ")
        #expect((r["response"] as? String)?.hasPrefix("+OK maildrop has 1 messages") == true)
        #expect(r["cancel"] as? String == "-ERR authentication cancelled")
        #expect(r["wrong"] as? String == "-ERR [AUTH] invalid user name or password")
        #expect(r["authz_other"] as? String == "-ERR [AUTH] invalid user name or password")
        #expect((r["quit3"] as? String)?.hasPrefix("+OK") == true)
    }

    @Test func deletionsHappenOnlyAtQuit() throws {
        let s = try TestServer.pop3()
        for subject in ["one", "two", "three"] { try s.deliver(to: "alice@example.test", subject: subject) }
        let original = s.messages("alice@example.test")
        try #require(original.count == 3)

        let dropped = try pop3Scenario("dele_drop", s, "alice@example.test", "secret", "1")
        #expect(dropped["dele"] as? String == "+OK message 1 deleted")
        #expect((dropped["stat_after"] as? [Int])?.first == 3)
        #expect(s.messages("alice@example.test") == original)

        let rset = try pop3Scenario("rset", s, "alice@example.test", "secret")
        #expect((rset["stat0"] as? [Int])?.first == 3)
        #expect((rset["stat1"] as? [Int])?.first == 2)
        #expect((rset["rset"] as? String)?.hasPrefix("+OK maildrop has 3 messages") == true)
        #expect((rset["stat2"] as? [Int])?.first == 3)
        #expect(s.messages("alice@example.test") == original)

        let uidl = try pop3Scenario("session", s, "alice@example.test", "secret")["uidl"] as? [String] ?? []
        let second = uidl.dropFirst().first.map { String($0.split(separator: " ")[1]) }
        let quit = try pop3Scenario("dele_quit", s, "alice@example.test", "secret", "2")
        #expect(quit["dele"] as? String == "+OK message 2 deleted")
        #expect(quit["retr_deleted"] as? String == "-ERR message 2 already deleted")
        #expect((quit["stat"] as? [Int])?.first == 2)
        #expect((quit["quit"] as? String)?.contains("(1 messages deleted)") == true)
        let left = s.messages("alice@example.test")
        #expect(left.count == 2)
        #expect(!left.map(TestServer.uniqueName).contains(second ?? "?"))
        #expect(s.log.contains("alice@example.test deleted 1 messages"))
    }

    @Test func implicitTLSListener() throws {
        let s = try TestServer.pop3()
        try s.deliver(to: "alice@example.test", subject: "over 995")
        #expect(s.log.contains("POP3 listening on 127.0.0.1:\(s.pop3sPort) (TLS)"))
        let r = try pop3Scenario("implicit", s, port: s.pop3sPort, "alice@example.test", "secret")
        #expect((r["greeting"] as? String)?.hasPrefix("+OK mx.example.test") == true)
        #expect((r["tls_version"] as? String)?.hasPrefix("TLSv1.") == true)
        let capa = r["capa"] as? [String] ?? []
        #expect(capa.contains("USER") && !capa.contains("STLS"))
        #expect(r["stat"] as? [Int] == [1, TestServer.fileSize(s.messages("alice@example.test")[0])])
        #expect((r["retr"] as? [String])?.contains("Subject: over 995") == true)
    }

    @Test func plaintextLoginOnlyFromTrustedAddresses() throws {
        // 127.0.0.5 is an ordinary client: only 127.0.0.1 and ::1 are trusted implicitly.
        let s = try TestServer.pop3(plaintextNetworks: ["127.0.0.1/32", "127.0.0.8/29", "not-a-network"])
        let refused = try pop3Scenario("plaintext_from", s, "alice@example.test", "secret", "127.0.0.5")
        #expect((refused["greeting"] as? String)?.hasPrefix("+OK") == true)
        let capaPlain = refused["capa_plain"] as? [String] ?? []
        #expect(capaPlain.contains("STLS") && !capaPlain.contains("USER") && !capaPlain.contains("SASL PLAIN"))
        #expect(refused["user_plain"] as? String == "-ERR [AUTH] plaintext login not allowed, use STLS first")
        #expect(refused["auth_plain"] as? String == "-ERR [AUTH] plaintext login not allowed, use STLS first")
        #expect(refused["stls"] as? String == "+OK begin TLS negotiation")
        #expect((refused["capa_tls"] as? [String])?.contains("USER") == true)
        #expect((refused["pass"] as? String)?.hasPrefix("+OK maildrop has 0 messages") == true)

        // 127.0.0.9 lies in 127.0.0.8/29.
        let allowed = try pop3Scenario("plaintext_from", s, "alice@example.test", "secret", "127.0.0.9")
        #expect((allowed["capa_plain"] as? [String])?.contains("USER") == true)
        #expect(allowed["user_plain"] as? String == "+OK send PASS")
        #expect((allowed["pass_plain"] as? String)?.hasPrefix("+OK maildrop has 0 messages") == true)
        #expect(s.log.contains("'not-a-network' is not an address or CIDR block"))
    }

    @Test func secondSessionGetsInUse() throws {
        let s = try TestServer.pop3()
        try s.deliver(to: "alice@example.test", subject: "locked")
        let r = try pop3Scenario("in_use", s, "alice@example.test", "secret")
        #expect(r["second"] as? String == "-ERR [IN-USE] maildrop is locked by another session")
        #expect((r["first_stat"] as? [Int])?.first == 1)
        #expect((r["third"] as? [Int])?.first == 1)
    }

    /// Logins are remembered (VerifiedLogins), but a password changed with `facteur user passwd`
    /// while the server runs takes effect at once: the old one is refused, the new one accepted.
    @Test func passwordChangeTakesEffectDespiteTheLoginCache() throws {
        let s = try TestServer.pop3()
        for _ in 0..<2 { #expect(try pop3Scenario("login", s, "alice@example.test", "secret")["quit"] != nil) }
        let r = try s.cli(["user", "passwd", "alice@example.test", "--password-stdin"], stdin: "changed\n")
        #expect(r.status == 0, "\(r.err)")
        #expect(throws: (any Error).self) { try pop3Scenario("login", s, "alice@example.test", "secret") }
        #expect(try pop3Scenario("login", s, "alice@example.test", "changed")["quit"] != nil)
    }

    @Test func wrongPasswordAndUnknownUserLookTheSame() throws {
        let s = try TestServer.pop3()
        let r = try pop3Scenario("wrong_password", s, "alice@example.test", "secret")
        let failure = "-ERR [AUTH] invalid user name or password"
        #expect(r["answers"] as? [String] == [failure, failure, failure])
        #expect(r["closed_after_three"] as? Bool == true)
        #expect(s.log.contains("failed login for alice@example.test"))
        #expect(s.log.contains("pop3 127.0.0.1 rejected [auth]"))
    }

    @Test func pipelinedCommandsAreAnsweredInOrder() throws {
        let s = try TestServer.pop3()
        try s.deliver(to: "alice@example.test", subject: "pipelined")
        let r = try pop3Scenario("pipelining", s, "alice@example.test", "secret")
        let replies = (r["replies"] as? [[String]])?.map { $0.joined(separator: " ") }
        #expect(replies == ["CAPA +OK", "USER +OK", "PASS +OK", "STAT +OK", "LIST +OK", "RETR +OK", "UIDL +OK",
                            "TOP +OK", "NOOP +OK", "QUIT +OK"])
        #expect(r["closed"] as? Bool == true)
    }

    @Test func plaintextBehindSTLSIsDiscarded() throws {
        let s = try TestServer.pop3()
        let r = try pop3Scenario("stls_injection", s)
        #expect(r["stls"] as? String == "+OK begin TLS negotiation")
        #expect(r["buffered"] as? Int == 0)
        #expect(r["handshake"] as? String == "ok")
        #expect(r["capa"] as? String == "+OK capability list follows")
    }

    @Test func largeForeignMessageIsStreamedExactly() throws {
        let s = try TestServer.pop3()
        // A message put into the Maildir by another program: LF endings, lines starting with ".",
        // no size in its (long) name. 12 MiB, so loading it whole would show in the memory peak.
        let folder = s.mailRoot + "/example.test/alice/new"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var body = Data()
        let line = Data((String(repeating: "0123456789abcdef", count: 4) + "\n").utf8)
        for i in 0..<8192 {
            if i % 7 == 0 { body.append(UInt8(ascii: ".")) }
            body.append(line)
        }
        var message = Data("Subject: big\nFrom: someone@remote.test\n\n".utf8)
        while message.count < 12 << 20 { message.append(body) }
        message.append(Data(".\nlast line without newline".utf8))
        let path = folder + "/" + String(repeating: "x", count: 80) + ".foreign"
        try message.write(to: URL(fileURLWithPath: path))

        // The first login's password hashing (yescrypt's memory) is part of the baseline.
        _ = try pop3Scenario("login", s, "alice@example.test", "secret")
        let pid = s.process?.processIdentifier ?? 0
        let peakBefore = Self.peakMemory(pid)
        let r = try pop3Scenario("retr_raw", s, "alice@example.test", "secret", "1", path, timeout: 300)
        let peakAfter = Self.peakMemory(pid)
        #expect(r["status"] as? String == "+OK \(r["expected_size"] as? Int ?? -1) octets")
        #expect(r["list"] as? String == "+OK 1 \(r["expected_size"] as? Int ?? -1)")
        #expect(r["equal"] as? Bool == true, "octets \(r["octets"] ?? "?") expected \(r["expected_octets"] ?? "?")")
        #expect(peakAfter - peakBefore < 8 << 20, "peak memory grew by \(peakAfter - peakBefore) bytes")

        let top = try pop3Scenario("retr_raw", s, "alice@example.test", "secret", "1", path, "3")
        #expect(top["equal"] as? Bool == true)
        #expect((top["octets"] as? Int ?? 0) < 1000)

        // A unique name longer than 70 characters gets a stable short uid (RFC 1939 §7): X + 16 hex digits.
        let uidl = try pop3Scenario("session", s, "alice@example.test", "secret")["uidl"] as? [String] ?? []
        let uid = uidl.first.map { String($0.split(separator: " ")[1]) } ?? ""
        #expect(uid.count == 17 && uid.hasPrefix("X") && uid.dropFirst().allSatisfy(\.isHexDigit), "\(uid)")
    }

    @Test func administratorCanCloseASession() throws {
        let s = try TestServer.pop3()
        let r = try pop3Scenario("kick", s, "alice@example.test", "secret", s.dir + "/data/control.sock", s.logPath)
        #expect(r["connection"] as? Int != nil)
        #expect((r["control"] as? [String: Any])?["ok"] as? Bool == true)
        #expect(r["after_kick"] as? String == "-ERR [SYS/TEMP] connection closed by the administrator")
        #expect(r["eof"] as? Bool == true)
    }

    @Test func shutdownEndsSessionsWithoutDeleting() throws {
        let s = try TestServer.pop3()
        try s.deliver(to: "alice@example.test", subject: "kept")
        let pid = try #require(s.process?.processIdentifier)
        let r = try pop3Scenario("shutdown", s, "alice@example.test", "secret", String(pid))
        #expect(r["dele"] as? String == "+OK message 1 deleted")
        #expect(r["notice"] as? String == "-ERR [SYS/TEMP] server shutting down")
        #expect(r["eof"] as? Bool == true)
        let deadline = Date().addingTimeInterval(30)
        while s.process?.isRunning == true && Date() < deadline { usleep(20_000) }
        #expect(s.process?.isRunning == false)
        #expect(s.messages("alice@example.test").count == 1)
    }

    /// Protocol abuse feeds the guard like SMTP's: ten bad commands in a session ban the address.
    @Test func badCommandsFromAnotherAddressGetItBanned() throws {
        let s = try TestServer.pop3(plaintextNetworks: ["127.0.0.0/8"])
        let r = try pop3Scenario("abuse", s, "127.0.0.9")
        #expect((r["greeting"] as? String)?.hasPrefix("+OK") == true, "\(r)")
        #expect((r["answers"] as? [String])?.last == "-ERR too many bad commands, closing connection", "\(r)")
        #expect((r["again"] as? String)?.hasPrefix("-ERR") == true, "\(r)")
        #expect(s.log.contains("banned 127.0.0.9"), "\(s.log)")
    }

    @Test func longLinesAndBadCommandsAreBounded() throws {
        let s = try TestServer.pop3()
        let r = try pop3Scenario("limits", s)
        #expect(r["long_line"] as? String == "-ERR line too long")
        #expect(r["after_long_line"] as? String == "+OK capability list follows")
        // The long line was the first bad command; the tenth closes the connection.
        let bogus = r["bogus"] as? [String] ?? []
        #expect(bogus.count == 9)
        #expect(bogus.dropLast().allSatisfy { $0 == "-ERR unknown command" })
        #expect(bogus.last == "-ERR too many bad commands, closing connection")
        #expect(r["closed"] as? Bool == true)
    }

    @Test func concurrentSessionsOfDifferentUsers() throws {
        let users = (1...6).map { "user\($0)@example.test" }
        let s = try TestServer.pop3(users: users)
        for user in users { try s.deliver(to: user, subject: "for \(user)") }
        let r = try pop3Scenario("parallel", s, "secret", String(s.pop3sPort), users[0], users[1], users[2], users[3],
                                 users[4], users[5])
        let subjects = r["subjects"] as? [String: [[String]]] ?? [:]
        for user in users {
            #expect(subjects[user] == Array(repeating: ["Subject: for \(user)"], count: 3), "\(user): \(subjects[user] ?? [])")
        }
    }

    /// VmHWM (peak resident set) of a process, in bytes.
    static func peakMemory(_ pid: Int32) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
        }
        return 0
    }
}
