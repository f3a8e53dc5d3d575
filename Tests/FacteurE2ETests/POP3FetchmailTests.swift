import Foundation
import Testing

/// fetchmail, a widely used independent POP3 client, against the real server.
@Suite(.serialized)
struct POP3FetchmailTests {
    @Test(arguments: ["stls", "implicit"])
    func fetchmailKeepsThenDeletes(mode: String) throws {
        guard let fetchmail = TestProcess.which("fetchmail") else {
            Issue.record("fetchmail is not installed (scripts/test installs it)")
            return
        }
        let s = try TestServer.pop3()
        try s.deliver(to: "alice@example.test", subject: "fetch one")
        try s.deliver(to: "alice@example.test", subject: "fetch two")
        let mbox = s.dir + "/fetched.txt"
        let rc = s.dir + "/fetchmailrc"
        // sslproto without ssl = STLS required (fetchmail ≥ 6.4); ssl = implicit TLS.
        let tls = mode == "implicit" ? "ssl" : "sslproto \"tls1.2+\""
        let port = mode == "implicit" ? s.pop3sPort : s.pop3Port
        try """
        poll 127.0.0.1 protocol POP3 port \(port) timeout 30
            user "alice@example.test" there with password "secret"
            \(tls) no sslcertck
            mda "cat >> \(mbox)"

        """.write(toFile: rc, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: rc)
        let env = ["HOME": s.dir, "FETCHMAILHOME": s.dir]
        func run(_ options: [String]) throws -> (status: Int32, out: String, err: String) {
            try TestProcess.run(fetchmail, ["-f", rc, "-N", "--nosyslog", "-v", "--all", "--pidfile", s.dir + "/fetchmail.pid",
                                            "-i", s.dir + "/fetchids"] + options, timeout: 120, env: env)
        }

        // Retrieve and keep (exit status 0: mail was retrieved).
        let keep = try run(["--keep"])
        #expect(keep.status == 0, "fetchmail: \(keep.out) \(keep.err)\nserver log:\n\(s.log)")
        #expect((keep.out + keep.err).contains("POP3> STLS") == (mode == "stls"))
        var fetched = (try? String(contentsOfFile: mbox, encoding: .utf8)) ?? ""
        #expect(fetched.components(separatedBy: "Subject: fetch one").count == 2)
        #expect(fetched.components(separatedBy: "Subject: fetch two").count == 2)
        #expect(fetched.contains("\n.leading dot"))   // unstuffed
        #expect(s.messages("alice@example.test").count == 2)

        // Retrieve again and delete.
        let flush = try run(["--nokeep"])
        #expect(flush.status == 0, "fetchmail: \(flush.out) \(flush.err)\nserver log:\n\(s.log)")
        fetched = (try? String(contentsOfFile: mbox, encoding: .utf8)) ?? ""
        #expect(fetched.components(separatedBy: "Subject: fetch one").count == 3)
        #expect(s.messages("alice@example.test").isEmpty)

        // Nothing left (exit status 1: no mail).
        let empty = try run(["--nokeep"])
        #expect(empty.status == 1, "fetchmail: \(empty.out) \(empty.err)")
    }
}
