import Foundation
import Testing

/// JSON output of a scenario script.
func scenario(_ name: String, _ server: TestServer, _ args: String..., timeout: TimeInterval = 60) throws -> [String: Any] {
    let r = try TestProcess.python("smtp_scenarios.py", [name, "127.0.0.1", String(server.smtpPort)] + args, timeout: timeout)
    guard r.status == 0, let data = r.out.split(separator: "\n").last.map({ Data($0.utf8) }),
          let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw TestFailure("\(name) failed (\(r.status)): \(r.out) \(r.err)\nserver log:\n\(server.log)")
    }
    return obj
}

@Suite(.serialized)
struct SMTPEndToEndTests {
    @Test func deliversToLocalUserDurablyAndRefusesRelay() throws {
        let s = try TestServer()
        try s.addUser("alice@example.test")
        try s.addUser("bob@other.test")
        try s.start()
        let greeting = try scenario("greeting", s)
        #expect((greeting["greeting"] as? String)?.hasPrefix("220 mx.example.test ESMTP") == true)

        let r = try scenario("deliver", s, "alice@example.test", "BOB@Other.Test")
        #expect((r["refused"] as? [String: Any])?.isEmpty == true)
        let ehlo = r["ehlo"] as? String ?? ""
        for ext in ["PIPELINING", "SIZE 200000", "8BITMIME", "ENHANCEDSTATUSCODES", "STARTTLS", "SMTPUTF8", "CHUNKING"] {
            #expect(ehlo.contains(ext), "EHLO lacks \(ext)")
        }
        let alice = s.messages("alice@example.test"), bob = s.messages("bob@other.test")
        #expect(alice.count == 1 && bob.count == 1)
        let text = try String(contentsOfFile: alice[0], encoding: .utf8)
        #expect(text.hasPrefix("Return-Path: <sender@remote.test>\r\nReceived: from client.test ([127.0.0.1])"))
        #expect(text.contains("Subject: e2e hello\r\n"))
        #expect(text.contains("\r\n.leading dot\r\n"))
        #expect(alice[0].contains("/new/"))
        // Stored once: both recipients' files are the same inode.
        let ia = try FileManager.default.attributesOfItem(atPath: alice[0])[.systemFileNumber] as? Int
        let ib = try FileManager.default.attributesOfItem(atPath: bob[0])[.systemFileNumber] as? Int
        #expect(ia == ib)
        // Nothing left in tmp/.
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.mailRoot + "/example.test/alice/tmp").isEmpty)

        let relay = try scenario("relay", s, "victim@gmail.com", "nobody@example.test", "<@x.test:victim@gmail.com>",
                                 "victim%gmail.com@example.test", "alice@[127.0.0.1]", "alice@example.test")
        let codes = (relay["rcpt"] as? [[Any]])?.map { "\($0[0]) \(($0[1] as? String)?.prefix(5) ?? "")" }
        #expect(codes == ["550 5.7.1", "550 5.1.1", "550 5.7.1", "550 5.1.1", "550 5.7.1", "250 2.1.5"])
        #expect(s.log.contains("rejected [relay]"))
    }

    @Test func starttlsThenDeliver() throws {
        let s = try TestServer()
        try s.addUser("alice@example.test")
        try s.start()
        let r = try scenario("starttls", s, "alice@example.test")
        #expect(r["starttls"] as? Int == 220)
        #expect((r["ehlo_after"] as? String)?.contains("STARTTLS") == false)
        let msg = try String(contentsOfFile: s.messages("alice@example.test")[0], encoding: .utf8)
        #expect(msg.contains("with ESMTPS"))
        #expect(msg.contains("(\(r["version"] as? String ?? "?"))"))
    }

    @Test func pipeliningAndBDAT() throws {
        let s = try TestServer()
        try s.addUser("alice@example.test")
        try s.start()
        let p = try scenario("pipelining", s, "alice@example.test", "20")
        let codes = p["codes"] as? [String] ?? []
        #expect(codes.first == "220" || codes.first == "250")
        #expect(codes.filter { $0 == "354" }.count == 20)
        #expect(codes.last == "221")
        #expect(s.messages("alice@example.test").count == 20)
        let b = try scenario("bdat", s, "alice@example.test")
        #expect(b["codes"] as? [String] == ["250", "250", "250", "250", "250", "221"])
        let files = s.messages("alice@example.test")
        #expect(files.count == 21)
        let chunked = try files.map { try String(contentsOfFile: $0, encoding: .utf8) }.filter { $0.contains("Subject: chunked") }
        #expect(chunked.first?.hasSuffix("first chunk\r\nsecond chunk with .dot\r\n.\r\n") == true)
    }

    @Test func oversizeSmugglingGarbage() throws {
        let s = try TestServer()
        try s.addUser("alice@example.test")
        try s.start()
        let o = try scenario("oversize", s, "alice@example.test", "200000")
        #expect(o["size_ext"] as? String == "200000")
        #expect((o["mail_declared"] as? [Any])?.first as? Int == 552)
        #expect((o["data"] as? [Any])?.first as? Int == 552)
        #expect(((o["data"] as? [Any])?.last as? String)?.hasPrefix("5.3.4") == true)
        #expect(o["noop_after"] as? Int == 250)
        let sm = try scenario("smuggling", s, "alice@example.test")
        #expect(sm["codes"] as? [String] == ["250", "250", "250", "354", "550", "221"])
        let g = try scenario("garbage", s)
        #expect(g["codes"] as? [String] == ["500", "500", "500", "250", "221"])
        #expect(s.messages("alice@example.test").isEmpty)
    }

    @Test func idleConnectionTimesOut() throws {
        let s = try TestServer(smtp: "greeting_timeout = \"1s\"\ncommand_timeout = \"1s\"")
        try s.start()
        let r = try scenario("idle", s)
        #expect((r["after_idle"] as? String)?.hasPrefix("421 4.4.2") == true)
        #expect(r["eof"] as? Bool == true)
        #expect((r["seconds"] as? Double ?? 99) < 5)
    }

    @Test func swaksDelivers() throws {
        guard let swaks = TestProcess.which("swaks") else {
            Issue.record("swaks is not installed (scripts/test installs it)")
            return
        }
        let s = try TestServer()
        try s.addUser("alice@example.test")
        try s.start()
        let ok = try TestProcess.run(swaks, ["--server", "127.0.0.1:\(s.smtpPort)", "--from", "a@remote.test",
                                             "--to", "alice@example.test", "--header", "Subject: via swaks", "--body", "hello"])
        #expect(ok.status == 0, "\(ok.out)")
        let relay = try TestProcess.run(swaks, ["--server", "127.0.0.1:\(s.smtpPort)", "--quit-after", "RCPT",
                                                "--to", "victim@gmail.com"])
        #expect(relay.status != 0)
        #expect(relay.out.contains("550 5.7.1"))
        let tls = try TestProcess.run(swaks, ["--server", "127.0.0.1:\(s.smtpPort)", "--tls", "--from", "a@remote.test",
                                              "--to", "alice@example.test", "--header", "Subject: swaks tls"])
        #expect(tls.status == 0, "\(tls.out)")
        let bodies = try s.messages("alice@example.test").map { try String(contentsOfFile: $0, encoding: .utf8) }
        #expect(bodies.contains { $0.contains("Subject: via swaks") })
        #expect(bodies.contains { $0.contains("Subject: swaks tls") && $0.contains("ESMTPS") })
    }

    @Test func gracefulShutdownOnSIGTERM() throws {
        let s = try TestServer()
        try s.start()
        s.stop()
        #expect(s.log.contains("shutting down"))
        #expect(s.log.contains("stopped"))
        #expect(s.process?.terminationStatus == 0)
    }
}

@Suite(.serialized)
struct SMTPWriteFailureTests {
    /// A Maildir that cannot be written (here: new/ replaced by a file, which even root cannot
    /// link into) gives 451 4.3.0, leaves nothing half-written, and the server keeps serving.
    @Test func writeFailureGives451AndNothingPartial() throws {
        let s = try TestServer()
        try s.addUser("alice@example.test")
        try s.addUser("bob@example.test")
        try s.start()
        let newDir = s.mailRoot + "/example.test/alice/new"
        try FileManager.default.removeItem(atPath: newDir)
        _ = FileManager.default.createFile(atPath: newDir, contents: Data("not a directory".utf8))
        let r = try TestProcess.python("smtp_scenarios.py", ["deliver", "127.0.0.1", String(s.smtpPort), "alice@example.test", "bob@example.test"])
        #expect(r.status != 0)
        #expect(r.err.contains("451") && r.err.contains("4.3.0"), "\(r.err)")
        // Nothing visible for either recipient, nothing left in tmp/.
        #expect(s.messages("bob@example.test").isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.mailRoot + "/example.test/alice/tmp").isEmpty)
        #expect(s.log.contains("failed"))
        // Repaired: the same server delivers again.
        try FileManager.default.removeItem(atPath: newDir)
        try FileManager.default.createDirectory(atPath: newDir, withIntermediateDirectories: false)
        let ok = try scenario("deliver", s, "alice@example.test", "bob@example.test")
        #expect((ok["refused"] as? [String: Any])?.isEmpty == true)
        #expect(s.messages("alice@example.test").count == 1 && s.messages("bob@example.test").count == 1)
    }
}
