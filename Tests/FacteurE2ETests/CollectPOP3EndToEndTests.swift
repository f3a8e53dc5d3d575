import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `facteur collect` against a fake POP3 provider: delivery, no duplicates, retention, and the
/// interruptions the ledger must survive. Time is injected with `--now` (Unix seconds).
@Suite(.serialized)
struct CollectPOP3EndToEndTests {
    static let t0: TimeInterval = 1_800_000_000
    static let day: TimeInterval = 86_400

    @Test func firstRunDeliversEverythingThenDeletesAndRepeatedRunsDuplicateNothing() throws {
        let isp = try FakeProvider("pop3")
        let sent = try ["m1", "m2", "m3"].map { try isp.add($0, subject: "order \($0)") }
        let s = try TestServer.collecting(from: isp, keepDays: 0)

        let r = try s.collectOnce(at: Self.t0)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("isp: 3 delivered, 3 deleted from the provider"), "\(r.out)")
        #expect(s.aliceMessages == sent.sorted())
        let first = try String(contentsOfFile: s.messages("alice@example.test")[0], encoding: .utf8)
        #expect(first.hasPrefix("Received: from 127.0.0.1 by mx.example.test with POP3 (Facteur collect \"isp\"); "))
        #expect(s.messages("alice@example.test").allSatisfy { $0.contains("/new/") })
        // keep_days = 0: deleted at the provider, and only after every message was fetched.
        #expect(isp.deleted == ["m1", "m2", "m3"])
        #expect(isp.remaining.isEmpty)
        let commands = isp.events
        let lastRetr = commands.lastIndex { $0.hasPrefix("RETR") } ?? Int.max
        let firstDele = commands.firstIndex { $0.hasPrefix("DELE") } ?? -1
        #expect(lastRetr < firstDele)
        #expect(commands.contains("USER shop") && commands.contains("PASS ***") && commands.last == "QUIT")
        // Progress reaches the event stream (the console and the log show it).
        #expect(r.err.contains("collect isp: POP3 127.0.0.1:\(isp.port), 3 messages, 3 new"), "\(r.err)")
        #expect(r.err.contains("delivered") && r.err.contains("from=<client-m1@remote.test>"), "\(r.err)")

        // Nothing new: nothing delivered again.
        let again = try s.collectOnce(at: Self.t0 + 60)
        #expect(again.status == 0)
        #expect(again.out.contains("isp: 0 delivered"))
        #expect(s.messages("alice@example.test").count == 3)
        // A new message arrives: only it is collected.
        let m4 = try isp.add("m4", subject: "order m4")
        try s.collectOnce(at: Self.t0 + 120)
        #expect(s.aliceMessages == (sent + [m4]).sorted())
        #expect(isp.deleted == ["m1", "m2", "m3", "m4"])
    }

    @Test func keepDaysLeavesMessagesOnTheProviderUntilTheyAreOldEnough() throws {
        let isp = try FakeProvider("pop3")
        try isp.add("m1", subject: "one")
        try isp.add("m2", subject: "two")
        let s = try TestServer.collecting(from: isp, keepDays: 3)

        try s.collectOnce(at: Self.t0)
        #expect(s.messages("alice@example.test").count == 2)
        #expect(isp.deleted.isEmpty)
        #expect(!isp.events.contains { $0.hasPrefix("DELE") })

        try isp.add("m3", subject: "three")
        let day1 = try s.collectOnce(at: Self.t0 + Self.day)
        #expect(day1.out.contains("isp: 1 delivered, 0 deleted from the provider, 3 left there"), "\(day1.out)")
        // One minute before m1 and m2 are three days old: still kept.
        try s.collectOnce(at: Self.t0 + 3 * Self.day - 60)
        #expect(isp.deleted.isEmpty)
        // Three days after their delivery: deleted; m3 (delivered a day later) stays.
        let day3 = try s.collectOnce(at: Self.t0 + 3 * Self.day)
        #expect(day3.out.contains("isp: 0 delivered, 2 deleted from the provider, 1 left there"), "\(day3.out)")
        #expect(isp.deleted == ["m1", "m2"])
        #expect(isp.remaining == ["m3"])
        try s.collectOnce(at: Self.t0 + 4 * Self.day)
        #expect(isp.deleted == ["m1", "m2", "m3"])
        #expect(s.messages("alice@example.test").count == 3)
    }

    @Test func connectionDroppedMidRetrLosesAndDuplicatesNothing() throws {
        let isp = try FakeProvider("pop3")
        let sent = try ["m1", "m2", "m3"].map { try isp.add($0, subject: "order \($0)", body: String(repeating: "line of text\r\n", count: 200)) }
        let s = try TestServer.collecting(from: isp, keepDays: 0)
        try isp.setMode("drop-retr 2")

        let broken = try s.collectOnce(at: Self.t0)
        #expect(broken.status != 0)
        #expect(broken.out.contains("isp: failed after 1 delivered"), "\(broken.out)")
        #expect(s.aliceMessages == [sent[0]])
        #expect(isp.deleted.isEmpty)          // no QUIT: nothing deleted remotely
        #expect(isp.events.contains("drop"))
        // Nothing half-written is visible, nothing left in tmp/.
        #expect(try FileManager.default.contentsOfDirectory(atPath: s.mailRoot + "/example.test/alice/tmp").isEmpty)

        try isp.setMode("")
        let next = try s.collectOnce(at: Self.t0 + 60)
        #expect(next.status == 0, "\(next.err)")
        #expect(s.aliceMessages == sent.sorted())
        #expect(isp.deleted.sorted() == ["m1", "m2", "m3"])
        #expect(isp.events.filter { $0 == "RETR 1" }.count == 1)   // m1 was not fetched twice
    }

    @Test func killedAfterDeliveryBeforeTheDeletionIsCommitted() throws {
        let isp = try FakeProvider("pop3")
        let sent = try ["m1", "m2", "m3"].map { try isp.add($0, subject: "order \($0)") }
        let s = try TestServer.collecting(from: isp, keepDays: 0)
        try isp.setMode("hang-dele")

        let p = try s.spawnCollect(at: Self.t0)
        try isp.waitForEvent("hang")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(s.aliceMessages == sent.sorted())
        #expect(isp.deleted.isEmpty)

        try isp.setMode("")
        isp.clearEvents()
        let next = try s.collectOnce(at: Self.t0 + 60)
        #expect(next.status == 0, "\(next.err)")
        #expect(next.out.contains("isp: 0 delivered, 3 deleted"), "\(next.out)")
        #expect(!isp.events.contains { $0.hasPrefix("RETR") })
        #expect(s.aliceMessages == sent.sorted())
        #expect(isp.deleted == ["m1", "m2", "m3"])
    }

    @Test func killedMidRetrFetchesTheMessageAgainOnce() throws {
        let isp = try FakeProvider("pop3")
        let sent = try ["m1", "m2", "m3"].map { try isp.add($0, subject: "order \($0)", body: String(repeating: "x", count: 5000)) }
        let s = try TestServer.collecting(from: isp, keepDays: 0)
        try isp.setMode("hang-retr 2")

        let p = try s.spawnCollect(at: Self.t0)
        try isp.waitForEvent("hang")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(s.aliceMessages == [sent[0]])
        // The ledger knows m2 was being fetched, under which name.
        let records = (try s.ledger()["entries"] as? [String: Any])?["isp"] as? [String: Any]
        #expect((records?["m2"] as? [String: Any])?["status"].map { "\($0)" }?.contains("fetching") == true)

        try isp.setMode("")
        try s.collectOnce(at: Self.t0 + 60)
        #expect(s.aliceMessages == sent.sorted())
        #expect(isp.deleted.sorted() == ["m1", "m2", "m3"])
    }

    /// The state a crash leaves between the Maildir link and the ledger's "delivered": the next
    /// run finds the file under the recorded name and does not fetch the message again.
    @Test func crashBetweenDeliveryAndLedgerUpdateIsRecoveredFromTheMaildir() throws {
        let isp = try FakeProvider("pop3")
        let sent = try ["m1", "m2"].map { try isp.add($0, subject: "order \($0)") }
        let s = try TestServer.collecting(from: isp, keepDays: 2)
        try s.collectOnce(at: Self.t0)
        #expect(s.aliceMessages == sent.sorted())

        // Rewrite m1's record as "fetching" under the name it was delivered as; drop m2's file
        // and record it as "fetching" too (a crash before its link into new/).
        var ledger = try s.ledger()
        var entries = ledger["entries"] as? [String: Any] ?? [:]
        var records = entries["isp"] as? [String: Any] ?? [:]
        let files = s.messages("alice@example.test")
        func name(_ path: String) -> String { String((path as NSString).lastPathComponent.split(separator: ",")[0]) }
        let m1File = try #require(files.first { (try? String(contentsOfFile: $0, encoding: .utf8))?.contains("Subject: order m1") == true })
        let m2File = try #require(files.first { $0 != m1File })
        records["m1"] = ["status": ["fetching": ["localName": name(m1File)]], "started": Self.t0]
        records["m2"] = ["status": ["fetching": ["localName": name(m2File)]], "started": Self.t0]
        try FileManager.default.removeItem(atPath: m2File)
        entries["isp"] = records
        ledger["entries"] = entries
        try s.writeLedger(ledger)

        isp.clearEvents()
        let r = try s.collectOnce(at: Self.t0 + 60)
        #expect(r.out.contains("isp: 1 delivered") && r.out.contains("1 recovered from an interrupted run"), "\(r.out)")
        #expect(isp.events.filter { $0.hasPrefix("RETR") } == ["RETR 2"])
        #expect(s.aliceMessages == sent.sorted())
    }

    @Test func quitRefusedMeansTheDeletionIsTriedAgain() throws {
        let isp = try FakeProvider("pop3")
        try isp.add("m1", subject: "one")
        let s = try TestServer.collecting(from: isp, keepDays: 0)
        try isp.setMode("quit-err")
        let r = try s.collectOnce(at: Self.t0)
        #expect(r.status != 0)
        #expect(r.out.contains("QUIT refused (some deleted messages not removed): the deletions may not have happened"), "\(r.out)")
        #expect(s.messages("alice@example.test").count == 1)
        try isp.setMode("")
        isp.clearEvents()
        try s.collectOnce(at: Self.t0 + 60)
        #expect(isp.deleted == ["m1"])
        #expect(!isp.events.contains { $0.hasPrefix("RETR") })
        #expect(s.messages("alice@example.test").count == 1)
    }

    @Test func aSilentProviderTimesOutAndTheNextRunCompletes() throws {
        let isp = try FakeProvider("pop3")
        let sent = try ["m1", "m2", "m3"].map { try isp.add($0, subject: "order \($0)", body: String(repeating: "z", count: 3000)) }
        let s = try TestServer.collecting(from: isp, keepDays: 0)
        try isp.setMode("hang-retr 2")
        let r = try s.collectOnce(at: Self.t0, ["--read-timeout", "1"])
        #expect(r.status != 0)
        #expect(r.out.contains("isp: failed after 1 delivered: connection: no response from the provider (timeout)"), "\(r.out)")
        #expect(isp.deleted.isEmpty)
        try isp.setMode("")
        try s.collectOnce(at: Self.t0 + 60)
        #expect(s.aliceMessages == sent.sorted())
        #expect(isp.deleted.sorted() == ["m1", "m2", "m3"])
    }

    /// cron's `collect --once` while another run of the entry is in progress: skipped, not doubled.
    @Test func concurrentRunsOfOneEntryAreSerialised() throws {
        let isp = try FakeProvider("pop3")
        let sent = try ["m1", "m2"].map { try isp.add($0, subject: "order \($0)") }
        let s = try TestServer.collecting(from: isp, keepDays: 0)
        try isp.setMode("hang-dele")
        let p = try s.spawnCollect(at: Self.t0)
        try isp.waitForEvent("hang")
        let second = try s.collectOnce(at: Self.t0 + 1)
        #expect(second.status == 0)
        #expect(second.out.contains("isp: skipped (another run of this entry is in progress)"), "\(second.out)")
        #expect(isp.events.filter { $0 == "connect" }.count == 1)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        try isp.setMode("")
        try s.collectOnce(at: Self.t0 + 60)
        #expect(s.aliceMessages == sent.sorted())
        #expect(isp.deleted == ["m1", "m2"])
    }

    @Test func oneFailingEntryDoesNotStopTheOthers() throws {
        let good = try FakeProvider("pop3"), bad = try FakeProvider("pop3")
        let sent = try good.add("m1", subject: "good")
        try bad.add("m1", subject: "bad")
        let holder = NSTemporaryDirectory() + "facteur-pw-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: holder + "/bad", withIntermediateDirectories: true)
        let s = try TestServer(extra: bad.collectSection(name: "first", passwordFile: try bad.passwordFile(in: holder + "/bad", mode: 0o640))
                                  + good.collectSection(name: "second", passwordFile: try good.passwordFile(in: holder)))
        try s.addUser("alice@example.test")
        let r = try s.collectOnce(at: Self.t0)
        #expect(r.status != 0)
        #expect(r.out.contains("first: failed after 0 delivered: configuration: password_file"), "\(r.out)")
        #expect(r.out.contains("second: 1 delivered, 1 deleted from the provider"), "\(r.out)")
        #expect(s.aliceMessages == [sent])
        // --entry runs only the named entry.
        let only = try s.collectOnce(at: Self.t0 + 60, ["--entry", "second"])
        #expect(only.status == 0 && !only.out.contains("first"), "\(only.out)")
    }

    /// `facteur collect` without --once polls on the interval until SIGTERM.
    @Test func foregroundCollectPollsUntilTerminated() throws {
        let isp = try FakeProvider("pop3")
        let m1 = try isp.add("m1", subject: "first poll")
        let s = try TestServer.collecting(from: isp, keepDays: 0, interval: "1s")
        let p = try s.spawnCollect([])
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && isp.deleted.isEmpty { usleep(50_000) }
        let m2 = try isp.add("m2", subject: "second poll")
        while Date() < deadline && isp.deleted.count < 2 { usleep(50_000) }
        #expect(isp.deleted == ["m1", "m2"])
        #expect(s.aliceMessages == [m1, m2].sorted())
        p.terminate()
        p.waitUntilExit()
        #expect(p.terminationReason == .exit && p.terminationStatus == 0)
    }

    @Test func startTLSWithVerificationOffAndRefusedWithIt() throws {
        let isp = try FakeProvider("pop3", tls: "stls")
        let sent = try isp.add("m1", subject: "secure")
        let s = try TestServer.collecting(from: isp, tls: "starttls", keepDays: 0, extra: "tls_verify = false")
        let r = try s.collectOnce(at: Self.t0)
        #expect(r.status == 0, "\(r.out) \(r.err)")
        #expect(s.aliceMessages == [sent])
        // The credentials went over TLS: USER comes after STLS.
        let events = isp.events
        #expect((events.firstIndex(of: "STLS") ?? Int.max) < (events.firstIndex(of: "USER shop") ?? -1))

        // Verification on (the default): the self-signed certificate is refused, nothing sent.
        let isp2 = try FakeProvider("pop3", tls: "stls")
        try isp2.add("m1", subject: "secure")
        let strict = try TestServer.collecting(from: isp2, tls: "starttls", keepDays: 0)
        let refused = try strict.collectOnce(at: Self.t0)
        #expect(refused.status != 0)
        #expect(refused.out.contains("not trusted") && refused.out.contains("tls_verify = false"), "\(refused.out)")
        #expect(!isp2.events.contains("USER shop"))
        #expect(isp2.remaining == ["m1"])
    }

    @Test func passwordFileReadableByOthersIsRefused() throws {
        let isp = try FakeProvider("pop3")
        try isp.add("m1", subject: "one")
        let s = try TestServer.collecting(from: isp, passwordMode: 0o644)
        let r = try s.collectOnce(at: Self.t0)
        #expect(r.status != 0)
        #expect(r.out.contains("is readable by group or others (mode 644); run: chmod 600"), "\(r.out)")
        #expect(isp.events.isEmpty)   // never connected
        #expect(isp.remaining == ["m1"])
    }

    @Test func unknownRecipientFetchesNothing() throws {
        let isp = try FakeProvider("pop3")
        try isp.add("m1", subject: "one")
        let holder = NSTemporaryDirectory() + "facteur-pw-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: holder, withIntermediateDirectories: true)
        let s = try TestServer(extra: isp.collectSection(recipient: "nobody@example.test", passwordFile: try isp.passwordFile(in: holder)))
        let r = try s.collectOnce(at: Self.t0)
        #expect(r.status != 0)
        #expect(r.out.contains("recipient nobody@example.test is not a local user or alias"), "\(r.out)")
        #expect(isp.events.isEmpty)
    }

    /// `facteur serve` runs the entries itself, on their interval.
    @Test func theServerCollectsOnItsOwn() throws {
        let isp = try FakeProvider("pop3")
        let sent = try isp.add("m1", subject: "while serving")
        let s = try TestServer.collecting(from: isp, keepDays: 0, interval: "1s")
        try s.start()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && isp.deleted.isEmpty { usleep(50_000) }
        #expect(s.aliceMessages == [sent])
        #expect(isp.deleted == ["m1"])
        let m2 = try isp.add("m2", subject: "next poll")
        let deadline2 = Date().addingTimeInterval(30)
        while Date() < deadline2 && isp.deleted.count < 2 { usleep(50_000) }
        #expect(s.aliceMessages == [sent, m2].sorted())
        #expect(s.log.contains("collect isp: every 1s from POP3 127.0.0.1:\(isp.port) for alice@example.test"), "\(s.log)")
        #expect(s.log.contains("collect isp: 1 delivered, 1 deleted from the provider"))
        s.stop()
    }
}
