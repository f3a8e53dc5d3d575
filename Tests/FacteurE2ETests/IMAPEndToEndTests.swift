import Foundation
import Testing

/// The IMAP section of a `TestServer`'s configuration, replaced by `imap` (TestServer writes
/// `[imap] listen = ["127.0.0.1:0"]`; TOML allows one `[imap]` table).
func imapServer(imap: String = "", extra: String = "") throws -> TestServer {
    let s = try TestServer(extra: extra)
    let toml = try String(contentsOfFile: s.configPath, encoding: .utf8)
    let section = "[imap]\nlisten = [\"127.0.0.1:0\"]\n"
    guard toml.contains(section) else { throw TestFailure("TestServer's [imap] section changed") }
    try toml.replacingOccurrences(of: section, with: section + imap + "\n").write(toFile: s.configPath, atomically: true, encoding: .utf8)
    return s
}

/// JSON output of an IMAP scenario script (imaplib / imapclient).
func imapScenario(_ name: String, _ server: TestServer, port: Int? = nil, _ args: String..., timeout: TimeInterval = 120) throws -> [String: Any] {
    let p = port ?? server.ports["IMAP"] ?? 0
    let r = try TestProcess.python("imap_scenarios.py", [name, "127.0.0.1", String(p)] + args, timeout: timeout)
    guard r.status == 0, let data = r.out.split(separator: "\n").last.map({ Data($0.utf8) }),
          let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
        throw TestFailure("\(name) failed (\(r.status)): \(r.out) \(r.err)\nserver log:\n\(server.log)")
    }
    return obj
}

/// The tagged status ("OK", "NO", …) of a `[typ, data]` pair from the script.
func imapStatus(_ value: Any?) -> String { ((value as? [Any])?.first as? String) ?? "?" }
func imapText(_ value: Any?) -> String { ((value as? [Any])?.dropFirst().first).map { "\($0)" } ?? "" }

@Suite(.serialized)
struct IMAPEndToEndTests {
    static let fixtures = "/work/shared/testdata/mime"

    @Test func fullSessionOverStartTLS() throws {
        let s = try imapServer()
        try s.addUser("alice@example.test", password: "pw-alice")
        try s.start(expect: ["SMTP", "IMAP"])
        let r = try imapScenario("session", s, String(s.smtpPort), "alice@example.test", "pw-alice", Self.fixtures, timeout: 300)

        #expect((r["greeting"] as? String)?.hasPrefix("* OK [CAPABILITY IMAP4rev1") == true)
        let before = r["caps_before"] as? [String] ?? []
        #expect(before.contains("STARTTLS") && before.contains("IDLE") && before.contains("AUTH=PLAIN"))
        #expect(r["starttls"] as? String == "OK")
        #expect((r["caps_after"] as? [String])?.contains("STARTTLS") == false)
        #expect(imapStatus(r["login"]) == "OK")

        let list = (r["list"] as? [String] ?? []).joined(separator: "\n")
        for (name, use) in [("INBOX", ""), ("Sent", "\\Sent"), ("Drafts", "\\Drafts"), ("Trash", "\\Trash"),
                            ("Junk", "\\Junk"), ("Archive", "\\Archive")] {
            #expect(list.contains("\"/\" \(name)") || list.contains("\"/\" \"\(name)\""), "LIST lacks \(name): \(list)")
            if !use.isEmpty { #expect(list.contains(use), "LIST lacks \(use)") }
        }

        // The SMTP delivery, read over IMAP.
        #expect(imapStatus(r["select"]) == "OK")
        let meta = r["fetch_smtp_meta"] as? String ?? ""
        #expect(meta.contains("ENVELOPE (") && meta.contains("\"over smtp\""), "\(meta)")
        #expect(meta.contains("((\"Sender\" NIL \"sender\" \"remote.test\"))"), "\(meta)")
        #expect(meta.contains("BODYSTRUCTURE (\"TEXT\" \"PLAIN\""), "\(meta)")
        #expect(meta.contains("\\Recent"), "first session sees the delivered message as \\Recent: \(meta)")
        let body = r["fetch_smtp_body"] as? String ?? ""
        #expect(body.hasPrefix("Return-Path: <sender@remote.test>\r\n") && body.hasSuffix("Hello over SMTP.\r\n"))
        #expect((r["fetch_header_field"] as? String) == "Subject: over smtp\r\n\r\n")

        // Fixtures appended over IMAP come back byte for byte.
        let fixtureCount = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures).filter { $0.hasPrefix("msg_") }.count
        #expect(r["appended"] as? Int == fixtureCount)
        #expect((r["append_uid_code"] as? String)?.contains("APPENDUID") == true)
        #expect(r["fixtures_exists"] as? Int == fixtureCount)
        #expect((r["body_mismatches"] as? [String])?.isEmpty == true, "\(r["body_mismatches"] ?? "")")
        #expect((r["size_mismatches"] as? [String])?.isEmpty == true, "\(r["size_mismatches"] ?? "")")
        #expect(r["bodystructure_ok"] as? String == "OK")
        let bs = (r["bodystructure_msg02"] as? [String])?.joined() ?? ""
        #expect(bs.contains("\"MIXED\" (\"BOUNDARY\" \"192.168.1.2.889.32614.987812255.500.21814\")"), "\(bs)")
        #expect(imapStatus(r["section_fetch"]) == "OK")

        // STORE / SEARCH / UID.
        #expect(imapStatus(r["store"]) == "OK")
        #expect(imapText(r["store"]).contains("$Work"))
        #expect(imapText(r["search_flagged"]) == "[\'1 3\']" || imapText(r["search_flagged"]).contains("1 3"))
        #expect(imapText(r["search_keyword"]).contains("1 2 3"))
        #expect(imapText(r["search_subject"]).contains("2"))
        #expect(imapStatus(r["search_unseen"]) == "OK")
        #expect(r["uid_search_all"] as? Int == fixtureCount)
        #expect(imapStatus(r["uid_fetch"]) == "OK" && imapText(r["uid_fetch"]).contains("UID"))
        #expect(imapText(r["uid_store"]).contains("\\Answered"))

        // COPY / MOVE / EXPUNGE.
        #expect(imapStatus(r["copy"]) == "OK" && imapStatus(r["uid_copy"]) == "OK")
        #expect(imapStatus(r["move"]) == "OK")
        #expect((r["move_untagged"] as? [String])?.count == 2)
        #expect(imapStatus(r["expunge"]) == "OK")
        #expect(r["exists_after"] as? Int == fixtureCount - 3)
        #expect(imapText(r["status_archive"]).contains("MESSAGES 3"))
        #expect(imapText(r["status_trash"]).contains("MESSAGES 2"))
        #expect(imapStatus(r["copy_to_missing"]) == "NO" && imapText(r["copy_to_missing"]).contains("TRYCREATE"))

        // Folder management.
        #expect(imapStatus(r["create_nested"]) == "OK" && imapStatus(r["rename"]) == "OK")
        #expect(imapStatus(r["create_utf7"]) == "OK")
        let afterRename = imapText(r["list_after_rename"])
        #expect(afterRename.contains("Work/2026") && !afterRename.contains("Projects"))
        #expect(afterRename.contains("&AMk-t&AOk-"))
        #expect(FileManager.default.fileExists(atPath: s.mailRoot + "/example.test/alice/.Été/cur"))
        #expect(imapStatus(r["delete"]) == "OK" && imapStatus(r["delete_inbox"]) == "NO")
        #expect(!imapText(r["list_final"]).contains("Work/2026"))

        // No name leaves the Maildir.
        for (what, result) in r["escapes"] as? [String: Any] ?? [:] {
            #expect(imapStatus(result) == "NO" || imapStatus(result) == "BAD", "\(what) was accepted: \(result)")
        }
        let domainDir = try FileManager.default.contentsOfDirectory(atPath: s.mailRoot + "/example.test")
        #expect(domainDir == ["alice"], "\(domainDir)")
        let userDir = try FileManager.default.contentsOfDirectory(atPath: s.mailRoot + "/example.test/alice")
        #expect(!userDir.contains { $0.hasPrefix("..") || $0 == ".hidden" || $0.contains("escape") }, "\(userDir)")
        #expect(r["logout"] as? String == "BYE")
        #expect(s.log.contains("imap") && s.log.contains("login alice@example.test"))
    }

    @Test func plaintextLoginRefusedFromOtherAddressesUnlessAllowed() throws {
        let s = try imapServer()
        try s.addUser("alice@example.test", password: "pw")
        try s.start(expect: ["SMTP", "IMAP"])
        let r = try imapScenario("plaintext", s, "127.0.0.5", "alice@example.test", "pw")
        #expect((r["caps"] as? [String])?.contains("LOGINDISABLED") == true)
        #expect(imapStatus(r["login"]) == "NO" && imapText(r["login"]).contains("PRIVACYREQUIRED"), "\(r)")
        #expect(imapStatus(r["authenticate"]) == "NO")
        #expect((r["caps_tls"] as? [String])?.contains("LOGINDISABLED") == false)
        #expect(r["login_tls"] as? String == "OK")
        // A bare local part logs in to the first domain (from the loopback host, no TLS needed).
        let local = try imapScenario("plaintext", s, "127.0.0.1", "alice", "pw")
        #expect(imapStatus(local["login"]) == "OK", "\(local)")

        let allowed = try imapServer(imap: "plaintext_networks = [\"127.0.0.4/30\"]")
        try allowed.addUser("alice@example.test", password: "pw")
        try allowed.start(expect: ["SMTP", "IMAP"])
        let a = try imapScenario("plaintext", allowed, "127.0.0.5", "alice@example.test", "pw")
        #expect((a["caps"] as? [String])?.contains("LOGINDISABLED") == false)
        #expect(imapStatus(a["login"]) == "OK", "\(a)")
    }

    @Test func subscriptionsOutliveTheirMailboxes() throws {
        let s = try imapServer()
        try s.addUser("alice@example.test", password: "pw")
        try s.start(expect: ["SMTP", "IMAP"])
        let r = try imapScenario("subscriptions", s, "alice@example.test", "pw")
        let lsub = (r["lsub"] as? [String]) ?? []
        #expect(lsub.contains { $0.contains("Gone") } && lsub.contains { $0.contains("INBOX") }, "\(r)")
        #expect(!((r["list"] as? [String]) ?? []).contains { $0.contains("Gone") }, "\(r)")
        let subscribed = (r["list_subscribed"] as? [String]) ?? []
        #expect(subscribed.contains { $0.contains("\\NonExistent") && $0.contains("Gone") }, "\(r)")
        #expect(imapStatus(r["select"]) != "OK")
        #expect(!((r["lsub_after"] as? [String]) ?? []).contains { $0.contains("Gone") }, "\(r)")
    }

    @Test func wrongPasswordsGetAuthenticationFailedAndTheGuardBans() throws {
        let s = try imapServer()
        try s.addUser("alice@example.test", password: "right")
        try s.start(expect: ["SMTP", "IMAP"])
        let r = try imapScenario("wrongpass", s, "127.0.0.6", "alice@example.test", "5")
        let results = r["results"] as? [String] ?? []
        #expect(results.count == 5, "\(results)")
        #expect(results.allSatisfy { $0.contains("[AUTHENTICATIONFAILED]") }, "\(results)")
        #expect((r["greeting_after"] as? String)?.hasPrefix("* BYE") == true, "\(r)")
        #expect(s.log.contains("banned 127.0.0.6"), "\(s.log)")
        #expect(s.log.contains("rejected [auth]"))
    }

    @Test func idleHearsOfSMTPDeliveryWithinOneSecond() throws {
        let s = try imapServer()
        try s.addUser("alice@example.test", password: "pw")
        try s.start(expect: ["SMTP", "IMAP"])
        let r = try imapScenario("idle", s, String(s.smtpPort), "alice@example.test", "pw")
        #expect(r["idle_capable"] as? Bool == true)
        let latency = r["latency"] as? Double
        #expect(latency != nil && latency! < 1.0, "EXISTS after \(latency ?? -1) s: \(r)")
        #expect(r["found"] as? Int == 1)
        #expect(r["subject"] as? [String] == ["while idling"])
        #expect((r["flag_updates"] as? [String])?.first?.contains("\\\\Flagged") == true, "\(r)")
    }

    @Test func implicitTLSListener() throws {
        let s = try imapServer(imap: "listen_tls = [\"127.0.0.1:0\"]")
        try s.addUser("alice@example.test", password: "pw")
        try s.start(expect: ["SMTP", "IMAP", "IMAPS"])
        let r = try imapScenario("imaps", s, port: s.ports["IMAPS"], "alice@example.test", "pw")
        #expect((r["caps"] as? [String])?.contains("STARTTLS") == false)
        #expect((r["tls_version"] as? String)?.hasPrefix("TLSv1.") == true)
        #expect(r["login"] as? String == "OK" && r["append"] as? String == "OK")
        #expect(r["exists"] as? Int == 1)
        #expect(r["subject"] as? String == "Subject: over imaps")
        #expect(r["big_append"] as? String == "OK")
        #expect(r["big_size"] as? Int == r["big_len"] as? Int && r["big_same"] as? Bool == true, "\(r)")
    }

    /// A literal as large as a message may be is streamed to a spool file, not held in memory
    /// (the server's resident set grows far less than the message), and a connection dropped
    /// mid-literal leaves nothing in the Maildir.
    @Test func largeAppendIsSpooledToDiskAndDroppedLiteralsLeaveNothing() throws {
        let s = try imapServer()
        try s.addUser("alice@example.test", password: "pw")
        try s.start(expect: ["SMTP", "IMAP"])
        let pid = try #require(s.process?.processIdentifier)
        let megabytes = 20
        let r = try imapScenario("bigappend", s, "alice@example.test", "pw", String(pid), String(megabytes), timeout: 300)
        #expect(imapStatus(r["append"]) == "OK", "\(r)")
        #expect(r["same"] as? Bool == true && r["size"] as? Int == r["len"] as? Int, "read back differs: \(r["size"] ?? "?")")
        #expect(r["continuation"] as? String == "+ Ready for literal")
        // Growth while the message was received, against its size (KiB); 20 MiB held in an
        // array (plus its CRLF copy) would be well above a quarter of it.
        let limit = megabytes * 1024 / 4
        let before = r["rss_before"] as? Int ?? 0
        let peak = r["rss_peak"] as? Int ?? Int.max
        let hwmGrowth = (r["hwm_after"] as? Int ?? Int.max) - (r["hwm_before"] as? Int ?? 0)
        #expect(peak - before < limit, "RSS grew by \(peak - before) KiB while appending \(megabytes) MiB")
        #expect(hwmGrowth < limit, "VmHWM grew by \(hwmGrowth) KiB while appending \(megabytes) MiB")

        // The dropped connection's spool is gone, and no message appeared.
        let maildir = s.mailRoot + "/example.test/alice"
        let deadline = Date().addingTimeInterval(10)
        var leftovers: [String] = []
        repeat {
            leftovers = (try? FileManager.default.contentsOfDirectory(atPath: maildir + "/tmp")) ?? ["(no tmp/)"]
            if leftovers.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.1)
        } while Date() < deadline
        #expect(leftovers.isEmpty, "left in tmp/: \(leftovers)")
        #expect(s.messages("alice@example.test").count == 1, "\(s.messages("alice@example.test"))")
        #expect(r["exists"] as? Int == 1)
    }

    /// Protocol abuse feeds the guard like SMTP's: [guard] bad_commands (10) BADs in a session ban
    /// the address, and its next connection is refused with BYE.
    @Test func garbageFromAnotherAddressGetsItBanned() throws {
        let s = try imapServer()
        try s.start(expect: ["SMTP", "IMAP"])
        let g = try imapScenario("garbage", s, "127.0.0.8")
        #expect((g["lines"] as? [String] ?? []).filter { $0.contains(" BAD ") }.count >= 10, "\(g)")
        #expect((g["again"] as? String)?.hasPrefix("* BYE") == true, "\(g)")
        #expect(s.log.contains("banned 127.0.0.8"), "\(s.log)")
    }

    @Test func garbageIsDisconnectedAndSTARTTLSDiscardsInjectedCommands() throws {
        let s = try imapServer()
        try s.start(expect: ["SMTP", "IMAP"])
        let g = try imapScenario("garbage", s)
        let lines = g["lines"] as? [String] ?? []
        #expect(lines.last?.hasPrefix("* BYE") == true, "\(lines)")
        #expect(lines.filter { $0.contains(" BAD ") }.count == 20, "\(lines)")
        let i = try imapScenario("injection", s)
        #expect((i["starttls"] as? String)?.hasPrefix("a OK") == true)
        #expect((i["after"] as? String)?.hasPrefix("c OK") == true, "the injected LOGIN was executed: \(i)")
    }
}
