import Foundation
import Testing

/// Independent IMAP clients against a real server: curl and mbsync (isync).
@Suite(.serialized)
struct IMAPClientsTests {
    /// One message with the subject "e2e hello", over SMTP (smtplib).
    func deliver(_ s: TestServer, to: String) throws {
        let r = try TestProcess.python("smtp_scenarios.py", ["deliver", "127.0.0.1", String(s.smtpPort), to])
        guard r.status == 0 else { throw TestFailure("SMTP delivery failed: \(r.out) \(r.err)") }
    }

    @Test func curlListsAndFetchesOverIMAPSAndSTARTTLS() throws {
        guard let curl = TestProcess.which("curl") else {
            Issue.record("curl is not installed")
            return
        }
        let s = try imapServer(imap: "listen_tls = [\"127.0.0.1:0\"]")
        try s.addUser("alice@example.test", password: "pw")
        try s.start(expect: ["SMTP", "IMAP", "IMAPS"])
        try deliver(s, to: "alice@example.test")
        let imaps = "imaps://127.0.0.1:\(s.ports["IMAPS"] ?? 0)"
        let imap = "imap://127.0.0.1:\(s.ports["IMAP"] ?? 0)"

        let list = try TestProcess.run(curl, ["-sS", "-k", "--max-time", "20", "--user", "alice@example.test:pw", imaps + "/"])
        #expect(list.status == 0, "\(list.err)")
        #expect(list.out.contains("* LIST") && list.out.contains("INBOX") && list.out.contains("\\Sent"), "\(list.out)")

        let fetch = try TestProcess.run(curl, ["-sS", "-k", "--max-time", "20", "--user", "alice@example.test:pw", imaps + "/INBOX;UID=1"])
        #expect(fetch.status == 0, "\(fetch.err)")
        #expect(fetch.out.contains("Subject: e2e hello") && fetch.out.contains("Hello from smtplib."), "\(fetch.out)")

        let starttls = try TestProcess.run(curl, ["-sS", "-k", "--ssl-reqd", "--max-time", "20", "--user", "alice@example.test:pw",
                                                  imap + "/INBOX;UID=1;SECTION=HEADER.FIELDS%20(SUBJECT)"])
        #expect(starttls.status == 0, "\(starttls.err)")
        #expect(starttls.out.contains("Subject: e2e hello"), "\(starttls.out)")

        let search = try TestProcess.run(curl, ["-sS", "-k", "--max-time", "20", "--user", "alice@example.test:pw",
                                                imaps + "/INBOX?SUBJECT%20hello"])
        #expect(search.out.contains("* SEARCH 1"), "\(search.out) \(search.err)")

        let wrong = try TestProcess.run(curl, ["-sS", "-k", "--max-time", "20", "--user", "alice@example.test:nope", imaps + "/"])
        #expect(wrong.status != 0)
    }

    @Test func mbsyncSyncsBothWays() throws {
        guard let mbsync = TestProcess.which("mbsync") else {
            Issue.record("mbsync (Debian package isync) is not installed: add it to scripts/test")
            return
        }
        let s = try imapServer(imap: "listen_tls = [\"127.0.0.1:0\"]")
        try s.addUser("alice@example.test", password: "pw")
        try s.start(expect: ["SMTP", "IMAP", "IMAPS"])
        try deliver(s, to: "alice@example.test")

        let local = s.dir + "/local"
        for sub in ["INBOX", "Archive"] {
            for d in ["cur", "new", "tmp"] {
                try FileManager.default.createDirectory(atPath: "\(local)/\(sub)/\(d)", withIntermediateDirectories: true)
            }
        }
        // A message written locally (by a mail client) that must reach the server's Archive.
        let localMessage = "From: me@example.test\nSubject: written offline\nMessage-ID: <offline@example.test>\n\nlocal body\n"
        try localMessage.write(toFile: "\(local)/Archive/cur/1700000000.1.local:2,S", atomically: true, encoding: .utf8)

        let rc = s.dir + "/mbsyncrc"
        try """
        IMAPAccount facteur
        Host 127.0.0.1
        Port \(s.ports["IMAPS"] ?? 0)
        User alice@example.test
        Pass pw
        SSLType IMAPS
        CertificateFile \(s.dir)/data/tls/selfsigned.pem

        IMAPStore remote
        Account facteur

        MaildirStore local
        Path \(local)/
        Inbox \(local)/INBOX
        SubFolders Verbatim

        Channel sync
        Far :remote:
        Near :local:
        Patterns INBOX Archive
        Create Both
        Expunge Both
        SyncState *

        """.write(toFile: rc, atomically: true, encoding: .utf8)

        let first = try TestProcess.run(mbsync, ["-c", rc, "-a"], timeout: 60)
        #expect(first.status == 0, "mbsync: \(first.out) \(first.err)\n\(s.log)")
        let pulled = try ["new", "cur"].flatMap { try FileManager.default.contentsOfDirectory(atPath: "\(local)/INBOX/\($0)") }
        #expect(pulled.count == 1, "INBOX not pulled: \(pulled)")
        let serverArchive = s.mailRoot + "/example.test/alice/.Archive/cur"
        let pushed = try FileManager.default.contentsOfDirectory(atPath: serverArchive)
        #expect(pushed.count == 1, "Archive not pushed: \(pushed)")
        if let f = pushed.first {
            #expect(f.hasSuffix(":2,S"), "\\Seen not pushed: \(f)")
            let text = try String(contentsOfFile: serverArchive + "/" + f, encoding: .utf8)
            #expect(text.contains("Subject: written offline"))
        }

        // Flag a pulled message locally; the next run pushes \Flagged, and nothing is duplicated.
        if let name = pulled.first {
            let dir = try FileManager.default.contentsOfDirectory(atPath: "\(local)/INBOX/cur").contains(name) ? "cur" : "new"
            let base = name.split(separator: ":").first.map(String.init) ?? name
            try FileManager.default.moveItem(atPath: "\(local)/INBOX/\(dir)/\(name)", toPath: "\(local)/INBOX/cur/\(base):2,FS")
        }
        let second = try TestProcess.run(mbsync, ["-c", rc, "-a"], timeout: 60)
        #expect(second.status == 0, "mbsync: \(second.out) \(second.err)")
        let inbox = s.messages("alice@example.test")
        #expect(inbox.count == 1 && inbox.first?.hasSuffix(":2,FS") == true, "\(inbox)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: serverArchive).count == 1)
    }
}
