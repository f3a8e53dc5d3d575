import Foundation
import Testing

/// QUOTA with real clients: imaplib's GETQUOTAROOT / GETQUOTA / APPEND over quota, and smtplib
/// deliveries to full and nearly full mailboxes (452 4.2.2, the grace rule, one reply per DATA).
@Suite(.serialized)
struct QuotaEndToEndTests {
    static let quotas = """
        [mail]
        quota = "20 KB"
        [mail.user_quota]
        "bob@example.test" = "none"
        "dave@example.test" = { messages = 1 }
        "carol@example.test" = "4 KB"
        "erin@example.test" = "4 KB"
        """

    func server() throws -> TestServer {
        let s = try TestServer(extra: Self.quotas)
        for user in ["alice", "bob", "carol", "dave", "erin"] { try s.addUser("\(user)@example.test") }
        try s.start(expect: ["SMTP", "IMAP"])
        return s
    }

    func scenario(_ name: String, _ s: TestServer) throws -> [String: Any] {
        let r = try TestProcess.python("quota_scenarios.py", [name, "127.0.0.1", String(s.ports["IMAP"] ?? 0), String(s.smtpPort)])
        guard r.status == 0, let line = r.out.split(separator: "\n").last,
              let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw TestFailure("\(name) failed (\(r.status)): \(r.out) \(r.err)\nserver log:\n\(s.log)")
        }
        return obj
    }

    /// The untagged and tagged lines of an imaplib result, joined.
    func lines(_ value: Any?) -> String {
        ((value as? [Any])?.dropFirst().first as? [String])?.joined(separator: "\n") ?? "\(value ?? "")"
    }

    /// The [code, text] of one SMTP reply in a transaction's replies.
    func reply(_ r: [String: Any], _ transaction: String, _ step: String) -> (code: Int, text: String) {
        let pair = (r[transaction] as? [String: Any])?[step] as? [Any]
        return ((pair?.first as? Int) ?? 0, (pair?.dropFirst().first as? String) ?? "")
    }

    @Test func imapReportsUsageAndRefusesWhatDoesNotFit() throws {
        let s = try server()
        defer { s.stop() }
        let r = try scenario("imap", s)
        let caps = lines(r["caps"])
        #expect(caps.contains("QUOTA") && caps.contains("QUOTA=RES-STORAGE") && caps.contains("QUOTA=RES-MESSAGE"), "\(caps)")
        #expect(imapStatus(r["root_empty"]) == "OK")
        #expect(lines(r["root_empty"]).contains("INBOX \"User quota\""), "\(r["root_empty"] ?? "")")
        #expect(lines(r["root_empty"]).contains("\"User quota\" (STORAGE 0 20)"), "\(r["root_empty"] ?? "")")
        #expect(lines(r["quota_empty"]).contains("(STORAGE 0 20)"))
        #expect(imapStatus(r["append1"]) == "OK" && imapStatus(r["append2"]) == "OK")
        // 2 × 8,000 octets = 15.6 KiB, counted in whole KiB rounded up.
        #expect(lines(r["quota_two"]).contains("(STORAGE 16 20)"), "\(r["quota_two"] ?? "")")
        #expect(imapStatus(r["append3"]) == "NO" && lines(r["append3"]).contains("[OVERQUOTA]"), "\(r["append3"] ?? "")")
        #expect(imapStatus(r["copy"]) == "NO" && lines(r["copy"]).contains("[OVERQUOTA]"), "\(r["copy"] ?? "")")
        // A MOVE between the user's own folders does not grow the usage.
        #expect(imapStatus(r["move"]) == "OK", "\(r["move"] ?? "")")
        #expect(lines(r["quota_after_move"]).contains("(STORAGE 16 20)"))
        // The one message left in INBOX (8,000 octets) is \Deleted: what EXPUNGE would free.
        #expect(lines(r["status_inbox"]).contains("(MESSAGES 1 DELETED 1 DELETED-STORAGE 8)"), "\(r["status_inbox"] ?? "")")
        #expect(imapStatus(r["setquota"]) == "NO" && lines(r["setquota"]).contains("[NOPERM]"))
        #expect(imapStatus(r["root_other"]) == "NO" && lines(r["root_other"]).contains("[NONEXISTENT]"))
        // bob has no limit: no quota root, and any APPEND fits.
        #expect(lines(r["bob_root"]) == "[\"INBOX\"]" || !lines(r["bob_root"]).contains("User quota"), "\(r["bob_root"] ?? "")")
        #expect(imapStatus(r["bob_append"]) == "OK")
    }

    @Test func smtpDefersAFullMailboxAndLetsTheCrossingMessageIn() throws {
        let s = try server()
        defer { s.stop() }
        let r = try scenario("smtp", s)
        #expect(imapStatus(r["dave_append"]) == "OK")
        // dave is full (1 of 1 message): 452 4.2.2 for him, bob in the same session is accepted.
        #expect(reply(r, "full_and_free", "dave@example.test").code == 452)
        #expect(reply(r, "full_and_free", "dave@example.test").text.hasPrefix("4.2.2"), "\(reply(r, "full_and_free", "dave@example.test"))")
        #expect(reply(r, "full_and_free", "bob@example.test").code == 250)
        #expect(reply(r, "full_and_free", "data").code == 250)
        #expect(s.messages("dave@example.test").count == 1)
        // carol: SIZE= beyond her limit + 10 % is deferred at RCPT.
        #expect(reply(r, "declared", "carol@example.test").code == 452)
        // The message that crosses the line (within the grace) is delivered …
        #expect(reply(r, "crossing", "carol@example.test").code == 250)
        #expect(reply(r, "crossing", "data").code == 250)
        #expect(s.messages("carol@example.test").count == 2)
        // … and the next one waits: carol is over.
        #expect(reply(r, "after", "carol@example.test").code == 452)
        // erin: no SIZE, the message turns out too big at the end of DATA: one 452 4.2.2 for the
        // whole transaction (bob's copy is deferred too, and nothing is stored: the sender retries).
        #expect(reply(r, "too_big_at_data", "erin@example.test").code == 250)
        #expect(reply(r, "too_big_at_data", "data").code == 452)
        #expect(reply(r, "too_big_at_data", "data").text.hasPrefix("4.2.2"))
        #expect(s.messages("erin@example.test").count == 1 && s.messages("bob@example.test").count == 2)
        #expect(lines(r["carol_quota"]).contains("(STORAGE 5 4)"), "\(r["carol_quota"] ?? "")")
    }
}
