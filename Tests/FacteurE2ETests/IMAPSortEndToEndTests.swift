import Foundation
import Testing

/// SORT, THREAD, ESEARCH and SEARCHRES with real clients: imapclient and imaplib.
@Suite(.serialized)
struct IMAPSortEndToEndTests {
    func run(_ scenario: String) throws -> [String: Any] {
        let s = try imapServer()
        try s.addUser("alice@example.test", password: "pw-alice")
        try s.start(expect: ["SMTP", "IMAP"])
        let r = try TestProcess.python("imap_sort.py", [scenario, "127.0.0.1", String(s.ports["IMAP"] ?? 0), String(s.smtpPort),
                                                        "alice@example.test", "pw-alice"])
        guard r.status == 0, let line = r.out.split(separator: "\n").last,
              let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw TestFailure("\(scenario) failed (\(r.status)): \(r.out) \(r.err)\nserver log:\n\(s.log)")
        }
        return object
    }

    /// Mailbox "Sorting": 1 Carol "Plans" Jan 3, 2 bob "Re: Plans" Jan 1 (reply to 1), 3 Dave "lunch"
    /// Jan 2, 4 Émile "Re: [team] Plans" (encoded) Jan 4 (reply to 2), 5 Ann "Fwd: lunch" Jan 5
    /// (reply to 3, delivered over SMTP then moved: its keys come from the backfill).
    @Test func sortAndThreadWithIMAPClient() throws {
        let r = try run("sort")
        let caps = r["caps"] as? [String] ?? []
        for name in ["SORT", "SORT=DISPLAY", "ESORT", "THREAD=REFERENCES", "THREAD=ORDEREDSUBJECT", "ESEARCH", "SEARCHRES"] {
            #expect(caps.contains(name), "\(name) missing from \(caps)")
        }
        #expect(r["sort_date"] as? [Int] == [2, 3, 1, 4, 5])
        #expect(r["sort_reverse_arrival"] as? [Int] == [5, 4, 3, 2, 1])
        #expect(r["sort_subject"] as? [Int] == [3, 5, 2, 1, 4])
        #expect(r["sort_from"] as? [Int] == [5, 2, 1, 3, 4])
        #expect(r["sort_displayfrom"] as? [Int] == [5, 2, 1, 3, 4])
        #expect(r["sort_unseen_size"] as? [Int] != nil)
        // REFERENCES: 1 ← 2 ← 4 and 3 ← 5, threads ordered by their first message's date.
        #expect(r["thread_references"] as? String == "((3, 5), (1, 2, 4))")
        #expect(r["thread_orderedsubject"] as? String == "((2, (1,), (4,)), (3, 5))")
    }

    @Test func esearchAndSavedResultWithImaplib() throws {
        let r = try run("searchres")
        #expect(imapText(r["esearch"]).contains("MIN 1 MAX 4 ALL 1:2,4 COUNT 3"), "\(r["esearch"] ?? "")")
        #expect(imapText(r["uid_esearch"]).contains("UID ALL 1:4"), "\(r["uid_esearch"] ?? "")")
        // SAVE alone: no ESEARCH answer (RFC 5182 §2.4).
        #expect(imapStatus(r["save"]) == "OK" && ((r["save"] as? [Any])?.last as? Bool) == false, "\(r["save"] ?? "")")
        #expect(imapText(r["fetch_saved"]).contains("Subject: lunch"), "\(r["fetch_saved"] ?? "")")
        #expect(imapStatus(r["store_saved"]) == "OK")
        #expect("\(r["flagged"] ?? "")" == "\(["OK", "3"])")
        #expect(r["copy_saved"] as? String == "OK")
        #expect("\(r["after_reselect"] ?? "")" == "\(["OK", ""])")
    }
}
