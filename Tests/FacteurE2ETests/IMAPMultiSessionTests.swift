import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Two or three real imaplib connections on one mailbox of a real `facteur` (issue #11): what a
/// second client sees, and what is on disk, must be what Dovecot 2.3 would give.
@Suite(.serialized)
struct IMAPMultiSessionTests {
    let user = "alice@example.test", password = "pw"

    func run(_ scenario: String) throws -> (TestServer, [String: Any]) {
        let s = try imapServer()
        try s.addUser(user, password: password)
        try s.start(expect: ["SMTP", "IMAP"])
        let r = try TestProcess.python("imap_sessions.py", [scenario, "127.0.0.1", String(s.ports["IMAP"] ?? 0), user, password])
        guard r.status == 0, let line = r.out.split(separator: "\n").last,
              let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw TestFailure("\(scenario) failed (\(r.status)): \(r.out) \(r.err)\nserver log:\n\(s.log)")
        }
        return (s, json)
    }

    var inbox: (TestServer) -> [String] { { $0.messages("alice@example.test") } }

    @Test func expungeCloseAndUIDExpungeRemoveWhatIsDeletedNow() throws {
        let (s, r) = try run("expunge")
        #expect(imapStatus(r["expunge"]) == "OK")
        #expect((r["expunge"] as? [Any])?.last as? [String] == ["2"], "A expunged only what B left \\Deleted: \(r)")
        let told = (r["a_fetch_after_expunge"] as? [String])?.first ?? ""
        #expect(told.hasPrefix("1 (FLAGS (") && told.contains("UID 1") && !told.contains("Deleted"), "A is told B cleared \\Deleted: \(r)")
        #expect(r["a_uids"] as? [Int] == [1, 3])
        #expect(r["b_expunged"] as? [String] == ["2"], "\(r)")
        #expect(r["b_uids"] as? [Int] == [1, 3] && r["c_uids"] as? [Int] == [1, 3], "\(r)")
        #expect(r["close"] as? String == "OK")
        #expect(r["after_close_uids"] as? [Int] == [1], "CLOSE removed what B had undeleted: \(r)")
        #expect(imapStatus(r["uid_expunge"]) == "OK")
        #expect(r["after_uid_expunge_uids"] as? [Int] == [1], "\(r)")
        #expect(inbox(s).count == 1, "\(inbox(s))")
    }

    @Test func newKeywordsAreAnnouncedAndStoredInTheMaildirAsDovecotDoes() throws {
        let (s, r) = try run("keywords")
        #expect(imapStatus(r["store"]) == "OK")
        for key in ["a_flags", "b_flags"] {
            let flags = (r[key] as? [String])?.last ?? ""
            #expect(flags.contains("$Label1") && flags.contains("Important"), "\(key): \(r)")
        }
        for key in ["a_permanentflags", "b_permanentflags"] {
            let flags = (r[key] as? [String])?.last ?? ""
            #expect(flags.contains("$Label1") && flags.contains("\\*"), "\(key): \(r)")
        }
        #expect((r["b_fetch"] as? [String])?.first?.contains("$Label1") == true, "\(r)")
        #expect((r["b_store_again"] as? [String])?.isEmpty == true, "a known keyword is not announced again: \(r)")
        #expect(r["search_keyword"] as? [String] == ["1 2"], "\(r)")
        // Dovecot's Maildir keywords: the folder's table and the letters in the file names.
        let table = try String(contentsOfFile: s.mailRoot + "/example.test/alice/dovecot-keywords", encoding: .utf8)
        #expect(table == "0 $Label1\n1 Important\n", "\(table)")
        let names = inbox(s).map { URL(fileURLWithPath: $0).lastPathComponent }
        #expect(names.filter { $0.hasSuffix(":2,ab") }.count == 1 && names.filter { $0.hasSuffix(":2,b") }.count == 1, "\(names)")
    }

    /// Dovecot 2.3 itself (its `imap` binary, preauthenticated on the same Maildir) reads the
    /// keywords Facteur wrote, and Facteur reads the one Dovecot adds.
    @Test func dovecotAndFacteurSeeEachOthersKeywords() throws {
        let imap = "/usr/lib/dovecot/imap"
        guard FileManager.default.isExecutableFile(atPath: imap), getuid() == 0 else {
            Issue.record("needs Dovecot's imap (apt dovecot-imapd) and root to run it as user mail"); return
        }
        let (s, _) = try run("keywords")
        let maildir = s.mailRoot + "/example.test/alice"
        let home = s.dir + "/dovecot-home"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let conf = s.dir + "/dovecot.conf"
        try """
        base_dir = \(s.dir)/dovecot-run
        state_dir = \(s.dir)/dovecot-run
        log_path = \(s.dir)/dovecot.log
        ssl = no
        mail_location = maildir:\(maildir)
        mail_uid = mail
        mail_gid = mail
        first_valid_uid = 1
        first_valid_gid = 1
        namespace inbox {
          inbox = yes
          separator = /
        }
        userdb {
          driver = static
          args = uid=mail gid=mail home=\(home)
        }
        passdb {
          driver = static
          args = nopassword=y
        }
        """.write(toFile: conf, atomically: true, encoding: .utf8)
        // Dovecot runs as user mail: it gets the Maildir, and may pass through its (0700) parents.
        _ = try TestProcess.run("/bin/chown", ["-R", "mail:mail", maildir, home])
        _ = try TestProcess.run("/bin/chmod", ["o+x", s.dir + "/data", s.dir + "/data/mail", s.mailRoot + "/example.test"])
        let script = "s SELECT INBOX\r\na FETCH 1:* (FLAGS)\r\nb STORE 2 +FLAGS ($Forwarded)\r\nc LOGOUT\r\n"
        // Dovecot's imap wants its input on a pipe (epoll), not a file.
        try script.write(toFile: s.dir + "/dovecot-input", atomically: true, encoding: .utf8)
        let dovecot = try TestProcess.run("/bin/sh", ["-c", "cat \"$0\" | exec \"$1\" -c \"$2\"", s.dir + "/dovecot-input", imap, conf],
                                          env: ["USER": "alice", "HOME": home])
        let fetched = dovecot.out.split(separator: "\r\n").filter { $0.contains(" FETCH (") }
        #expect(fetched.count >= 2 && fetched.contains { $0.contains("$Label1") && $0.contains("Important") }
                && fetched.allSatisfy { $0.contains("Important") }, "Dovecot read: \(dovecot.out) \(dovecot.err)")
        #expect(dovecot.out.contains("b OK"), "\(dovecot.out) \(dovecot.err)")
        let r = try TestProcess.python("imap_sessions.py", ["fetchflags", "127.0.0.1", String(s.ports["IMAP"] ?? 0), user, password])
        let json = r.out.split(separator: "\n").last.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [String: Any]
        let flags = json?["flags"] as? [String] ?? []
        // Dovecot numbers the messages its own way: whichever it flagged, Facteur sees it, and keeps the others.
        #expect(flags.count == 2 && flags.filter { $0.contains("$Forwarded") }.count == 1
                && flags.allSatisfy { $0.contains("Important") } && flags.contains { $0.contains("$Label1") }, "Facteur read: \(r.out) \(r.err)")
        let table = try String(contentsOfFile: maildir + "/dovecot-keywords", encoding: .utf8)
        #expect(table == "0 $Label1\n1 Important\n2 $Forwarded\n", "\(table)")
    }

    @Test func examineReportsRecentWithoutTakingIt() throws {
        let (_, r) = try run("recent")
        #expect(r["examine_recent"] as? [String] == ["2"], "\(r)")
        #expect((r["examine_flags"] as? [String])?.allSatisfy { $0.contains("\\Recent") } == true, "\(r)")
        #expect(r["select_recent"] as? [String] == ["2"], "\(r)")
        #expect(r["examine_after_select"] as? [String] == ["0"], "\(r)")
    }

    @Test func copyAndMoveIntoTheSelectedMailboxAnnounceExistsAtOnce() throws {
        let (_, r) = try run("copy")
        #expect(imapStatus(r["copy"]) == "OK")
        #expect(r["copy_exists"] as? [String] == ["3"], "\(r)")
        #expect(r["move"] as? String == "OK")
        #expect(r["move_exists"] as? [String] == ["3"], "\(r)")
        #expect(r["a_uids"] as? [Int] == [1, 3, 4] && r["b_uids"] as? [Int] == [1, 3, 4], "\(r)")
    }

    @Test func lsubPercentListsTheUnsubscribedLevelAsNoselect() throws {
        let (_, r) = try run("lsub")
        let children = r["lsub_children"] as? [String] ?? []
        #expect(children.count == 1 && children[0].contains("\\Noselect") && children[0].hasSuffix("\"parent/child\""), "\(r)")
        #expect((r["lsub_top"] as? [String] ?? []).contains { $0.contains("\\Noselect") && $0.hasSuffix(" \"parent\"") }, "\(r)")
    }
}
