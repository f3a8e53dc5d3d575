import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `facteur collect` against a fake IMAP provider (UID SEARCH / UID FETCH BODY.PEEK[] /
/// UID STORE \Deleted + EXPUNGE). Ledger keys are UIDVALIDITY.UID.
@Suite(.serialized)
struct CollectIMAPEndToEndTests {
    static let t0: TimeInterval = 1_800_000_000
    static let day: TimeInterval = 86_400

    @Test func firstRunDeliversEverythingThenExpungesAndRepeatedRunsDuplicateNothing() throws {
        let isp = try FakeProvider("imap")
        let sent = try ["3", "7", "12"].map { try isp.add($0, subject: "invoice \($0)") }
        let s = try TestServer.collecting(from: isp, keepDays: 0)

        let r = try s.collectOnce(at: Self.t0)
        #expect(r.status == 0, "\(r.out) \(r.err)")
        #expect(r.out.contains("isp: 3 delivered, 3 deleted from the provider"), "\(r.out)")
        #expect(s.aliceMessages == sent.sorted())
        #expect(try String(contentsOfFile: s.messages("alice@example.test")[0], encoding: .utf8)
            .hasPrefix("Received: from 127.0.0.1 by mx.example.test with IMAP (Facteur collect \"isp\"); "))
        #expect(isp.deleted == ["3", "7", "12"])
        // BODY.PEEK (no \Seen), and the deletion only after the last fetch.
        let events = isp.events
        #expect(events.contains { $0.hasSuffix("UID FETCH 12 (BODY.PEEK[] INTERNALDATE)") })
        let lastFetch = events.lastIndex { $0.contains("UID FETCH") } ?? Int.max
        let store = events.firstIndex { $0.contains("UID STORE") } ?? -1
        #expect(lastFetch < store)
        #expect(events.contains { $0.hasSuffix("EXPUNGE") })

        try s.collectOnce(at: Self.t0 + 60)
        #expect(s.messages("alice@example.test").count == 3)
        let four = try isp.add("13", subject: "invoice 13")
        try s.collectOnce(at: Self.t0 + 120)
        #expect(s.aliceMessages == (sent + [four]).sorted())
    }

    @Test func keepDaysThenExpunge() throws {
        let isp = try FakeProvider("imap")
        try isp.add("1", subject: "one")
        let s = try TestServer.collecting(from: isp, keepDays: 1)
        try s.collectOnce(at: Self.t0)
        try s.collectOnce(at: Self.t0 + Self.day - 1)
        #expect(isp.deleted.isEmpty)
        #expect(!isp.events.contains { $0.contains("UID STORE") })
        try s.collectOnce(at: Self.t0 + Self.day)
        #expect(isp.deleted == ["1"])
        #expect(s.messages("alice@example.test").count == 1)
    }

    @Test func implicitTLSWithVerificationOff() throws {
        let isp = try FakeProvider("imap", tls: "implicit")
        let sent = try isp.add("1", subject: "over TLS")
        let s = try TestServer.collecting(from: isp, tls: "implicit", keepDays: 0, extra: "tls_verify = false")
        let r = try s.collectOnce(at: Self.t0)
        #expect(r.status == 0, "\(r.out) \(r.err)")
        #expect(s.aliceMessages == [sent])
        #expect(isp.deleted == ["1"])
    }

    @Test func connectionDroppedMidFetchLosesAndDuplicatesNothing() throws {
        let isp = try FakeProvider("imap")
        let sent = try ["1", "2", "3"].map { try isp.add($0, subject: "n\($0)", body: String(repeating: "y", count: 4000)) }
        let s = try TestServer.collecting(from: isp, keepDays: 0)
        try isp.setMode("drop-fetch 2")
        let broken = try s.collectOnce(at: Self.t0)
        #expect(broken.status != 0)
        #expect(s.aliceMessages == [sent[0]])
        #expect(isp.deleted.isEmpty)
        try isp.setMode("")
        try s.collectOnce(at: Self.t0 + 60)
        #expect(s.aliceMessages == sent.sorted())
        #expect(isp.deleted.sorted() == ["1", "2", "3"])
        #expect(isp.events.filter { $0.hasSuffix("UID FETCH 1 (BODY.PEEK[] INTERNALDATE)") }.count == 1)
    }

    @Test func killedBeforeTheExpungeDeletesOnTheNextRunWithoutFetching() throws {
        let isp = try FakeProvider("imap")
        let sent = try ["1", "2"].map { try isp.add($0, subject: "n\($0)") }
        let s = try TestServer.collecting(from: isp, keepDays: 0)
        try isp.setMode("hang-store")
        let p = try s.spawnCollect(at: Self.t0)
        try isp.waitForEvent("hang")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(s.aliceMessages == sent.sorted())
        #expect(isp.deleted.isEmpty)

        try isp.setMode("")
        isp.clearEvents()
        let r = try s.collectOnce(at: Self.t0 + 60)
        #expect(r.out.contains("isp: 0 delivered, 2 deleted"), "\(r.out)")
        #expect(!isp.events.contains { $0.contains("UID FETCH") })
        #expect(s.aliceMessages == sent.sorted())
    }

    @Test func expungeRefusedIsNotRecordedAsDeleted() throws {
        let isp = try FakeProvider("imap")
        try isp.add("1", subject: "one")
        let s = try TestServer.collecting(from: isp, keepDays: 0)
        try isp.setMode("expunge-no")
        let r = try s.collectOnce(at: Self.t0)
        #expect(r.status != 0)
        #expect(r.out.contains("deletion refused"), "\(r.out)")
        try isp.setMode("")
        try s.collectOnce(at: Self.t0 + 60)
        #expect(isp.deleted == ["1"])
        #expect(s.messages("alice@example.test").count == 1)
    }
}
