import Foundation
import Testing

/// CONDSTORE and QRESYNC (RFC 7162, issue #16) over a real socket with real clients: imapclient
/// for CONDSTORE, raw imaplib for a QRESYNC resync after another session changed the mailbox,
/// and HIGHESTMODSEQ across an index rebuilt from the Maildir.
@Suite(.serialized)
struct IMAPCondStoreEndToEndTests {
    let user = "alice@example.test", password = "pw"

    private func started() throws -> TestServer {
        let s = try imapServer()
        try s.addUser(user, password: password)
        try s.start(expect: ["SMTP", "IMAP"])
        return s
    }

    private func run(_ scenario: String, _ s: TestServer, _ extra: [String] = []) throws -> [String: Any] {
        let r = try TestProcess.python("imap_condstore.py", [scenario, "127.0.0.1", String(s.ports["IMAP"] ?? 0), user, password] + extra)
        guard r.status == 0, let line = r.out.split(separator: "\n").last,
              let json = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw TestFailure("\(scenario) failed (\(r.status)): \(r.out) \(r.err)\nserver log:\n\(s.log)")
        }
        return json
    }

    @Test func imapclientSpeaksCondstore() throws {
        let s = try started()
        let r = try run("condstore", s)
        let capabilities = r["capabilities"] as? [String] ?? []
        #expect(capabilities.contains("CONDSTORE") && capabilities.contains("QRESYNC"), "\(r)")
        #expect(r["enabled"] as? [String] == ["CONDSTORE"], "\(r)")
        let h0 = try #require(r["select_highestmodseq"] as? Int, "\(r)")
        let modseqs = r["modseqs"] as? [String: Int] ?? [:]
        #expect(modseqs.count == 3 && modseqs.values.allSatisfy { $0 <= h0 }, "\(r)")
        // Only UID 2 changed since h0, with a higher MODSEQ.
        let changed = r["changed_since"] as? [String: [Any]] ?? [:]
        #expect(Array(changed.keys) == ["2"], "\(r)")
        let changedModSeq = changed["2"]?.first as? Int ?? 0
        #expect(changedModSeq > h0 && (changed["2"]?.last as? [String]) == ["\\Seen"], "\(r)")
        // UNCHANGEDSINCE h0: 1 and 3 get \Flagged, 2 is named in [MODIFIED] and left alone.
        let store = r["conditional_store"] as? [Any] ?? []
        #expect(store.first as? String == "OK", "\(r)")
        #expect((store[safe: 1] as? [String])?.first?.hasPrefix("[MODIFIED 2]") == true, "\(r)")
        #expect(r["flags_after"] as? [String: [String]] == ["1": ["\\Flagged"], "2": ["\\Seen"], "3": ["\\Flagged"]], "\(r)")
        let search = r["search_modseq"] as? [Any] ?? []
        #expect(search.first as? [Int] == [1, 2, 3], "\(r)")
        let searchModSeq = search.last as? Int ?? 0
        #expect(searchModSeq > changedModSeq, "\(r)")
        #expect(r["status_highestmodseq"] as? Int == searchModSeq, "\(r)")
    }

    /// The client was away while another session flagged 2 and 5, expunged 3 and 4 and
    /// appended 6: SELECT (QRESYNC) returns exactly that, in one round trip.
    @Test func qresyncAfterAnotherSessionChangedTheMailbox() throws {
        let s = try started()
        let r = try run("qresync", s)
        #expect(r["enabled"] as? [String] == ["QRESYNC"], "\(r)")
        let before = (r["before"] as? [Int])?.last ?? 0
        let resync = r["resync"] as? [Any] ?? []
        #expect(resync.first as? String == "OK", "\(r)")
        #expect(resync[safe: 2] as? [String] == ["(EARLIER) 3:4"], "\(r)")
        let fetches = (resync[safe: 3] as? [String] ?? []).sorted()
        #expect(fetches.count == 3, "\(r)")
        #expect(fetches[safe: 0]?.hasPrefix("2 (UID 2 FLAGS (\\Flagged) MODSEQ (") == true, "\(r)")
        #expect(fetches[safe: 1]?.hasPrefix("3 (UID 5 FLAGS (") == true && fetches[safe: 1]?.contains("$Work") == true
            && fetches[safe: 1]?.contains("\\Seen") == true, "\(r)")
        #expect(fetches[safe: 2]?.hasPrefix("4 (UID 6 FLAGS () MODSEQ (") == true, "\(r)")
        #expect((resync.last as? Int ?? 0) > before, "\(r)")
        let fetchVanished = r["uid_fetch_vanished"] as? [Any] ?? []
        #expect(fetchVanished.first as? String == "OK" && fetchVanished[safe: 1] as? [String] == ["(EARLIER) 3:4"], "\(r)")
        #expect((fetchVanished[safe: 2] as? [String])?.count == 3, "\(r)")
        let noop = r["noop"] as? [[String]] ?? []
        #expect(noop.first == ["6"] && noop.last == [], "another session's expunge is a VANISHED: \(r)")
    }

    /// The index is lost (its mailstore tables emptied while the server is down) and rebuilt
    /// from the Maildir: UIDVALIDITY changes and HIGHESTMODSEQ is still above what clients saw.
    @Test func highestModSeqSurvivesAnIndexRebuild() throws {
        let s = try started()
        _ = try run("modseq", s, ["append"])
        _ = try run("modseq", s, ["append"])
        let before = try run("modseq", s)
        #expect(before["messages"] as? Int == 2, "\(before)")
        s.stop()
        let db = s.dir + "/data/facteur.sqlite"
        let wipe = try TestProcess.run("/usr/bin/env", ["python3", "-c", """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA foreign_keys = ON")
            c.execute("DELETE FROM mailstore_mailbox"); c.execute("DELETE FROM mailstore_meta"); c.commit()
            print(c.execute("SELECT COUNT(*) FROM mailstore_message").fetchone()[0])
            """, db])
        #expect(wipe.status == 0 && wipe.out.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(wipe)")
        try s.start(expect: ["SMTP", "IMAP"])
        let after = try run("modseq", s)
        #expect(after["messages"] as? Int == 2, "rebuilt from the Maildir: \(after)")
        #expect((after["highestmodseq"] as? Int ?? 0) > (before["highestmodseq"] as? Int ?? Int.max), "\(before) → \(after)")
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
