import Foundation
import Testing
@testable import FacteurCollect

@Suite struct CollectionLedgerTests {
    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static func at(days: Double) -> Date { t0.addingTimeInterval(days * CollectionLedger.day) }
    static func none(_ name: String) -> Bool { false }

    /// Simulates one complete run: plan, fetch + deliver everything, delete what is due.
    static func fullRun(_ ledger: inout CollectionLedger, entry: String = "e", remote: inout [String],
                        keepDays: Int?, now: Date, delivered: inout [String]) {
        let plan = ledger.beginRun(entry: entry, remoteUIDs: remote, keepDays: keepDays, now: now, isDelivered: none)
        for uid in plan.fetch {
            ledger.recordFetching(entry: entry, uid: uid, localName: "local-\(uid)", at: now)
            delivered.append(uid)
            ledger.recordDelivered(entry: entry, uid: uid, at: now)
        }
        let due = ledger.deletions(entry: entry, remoteUIDs: remote, keepDays: keepDays, now: now)
        remote.removeAll { due.contains($0) }
        ledger.recordRemoteDeleted(entry: entry, uids: due, at: now)
    }

    @Test func firstRunFetchesEverythingInListingOrder() {
        var ledger = CollectionLedger()
        let plan = ledger.beginRun(entry: "e", remoteUIDs: ["c", "a", "b", "a"], keepDays: 7, now: Self.t0, isDelivered: Self.none)
        #expect(plan == CollectionLedger.Plan(fetch: ["c", "a", "b"], delete: [], recovered: []))
    }

    @Test(arguments: [
        // keepDays, days elapsed at the second run, deleted at the second run
        (0 as Int?, 0.0, ["a", "b"]),
        (7, 6.99, []),
        (7, 7.0, ["a", "b"]),
        (nil, 3650, []),
        (-3, 0, ["a", "b"]),      // negative treated as 0
    ])
    func retention(keepDays: Int?, elapsed: Double, deleted: [String]) {
        var ledger = CollectionLedger()
        _ = ledger.beginRun(entry: "e", remoteUIDs: ["a", "b"], keepDays: keepDays, now: Self.t0, isDelivered: Self.none)
        ledger.recordDelivered(entry: "e", uid: "a", at: Self.t0)
        ledger.recordDelivered(entry: "e", uid: "b", at: Self.t0)
        let plan = ledger.beginRun(entry: "e", remoteUIDs: ["a", "b", "c"], keepDays: keepDays, now: Self.at(days: elapsed), isDelivered: Self.none)
        #expect(plan.fetch == ["c"])
        #expect(plan.delete == deleted)
    }

    @Test func keepZeroDeletesRightAfterDeliveryInTheSameRun() {
        var ledger = CollectionLedger()
        let plan = ledger.beginRun(entry: "e", remoteUIDs: ["a"], keepDays: 0, now: Self.t0, isDelivered: Self.none)
        #expect(plan.delete.isEmpty)
        #expect(ledger.deletions(entry: "e", remoteUIDs: ["a"], keepDays: 0, now: Self.t0).isEmpty)  // not yet delivered
        ledger.recordFetching(entry: "e", uid: "a", localName: "n1", at: Self.t0)
        #expect(ledger.deletions(entry: "e", remoteUIDs: ["a"], keepDays: 0, now: Self.t0).isEmpty)  // fetching ≠ delivered
        ledger.recordDelivered(entry: "e", uid: "a", at: Self.t0)
        #expect(ledger.deletions(entry: "e", remoteUIDs: ["a"], keepDays: 0, now: Self.t0) == ["a"])
    }

    /// Crash after the Maildir rename but before `recordDelivered` was persisted.
    @Test func crashAfterDeliveryIsRecoveredWithoutDuplicate() {
        var ledger = CollectionLedger()
        _ = ledger.beginRun(entry: "e", remoteUIDs: ["a", "b"], keepDays: 1, now: Self.t0, isDelivered: Self.none)
        ledger.recordFetching(entry: "e", uid: "a", localName: "1800000000.M1P2.host", at: Self.t0)
        // … crash; the file exists locally.
        let plan = ledger.beginRun(entry: "e", remoteUIDs: ["a", "b"], keepDays: 1, now: Self.at(days: 0.5),
                                   isDelivered: { $0 == "1800000000.M1P2.host" })
        #expect(plan.recovered == ["a"])
        #expect(plan.fetch == ["b"])
        #expect(ledger.record(entry: "e", uid: "a")?.status == .delivered)
        // Retention counts from the recovery.
        #expect(ledger.deletions(entry: "e", remoteUIDs: ["a"], keepDays: 1, now: Self.at(days: 1.4)).isEmpty)
        #expect(ledger.deletions(entry: "e", remoteUIDs: ["a"], keepDays: 1, now: Self.at(days: 1.5)) == ["a"])
    }

    /// Crash before the message reached the Maildir: it is fetched again, not lost.
    @Test func crashBeforeDeliveryRefetches() {
        var ledger = CollectionLedger()
        _ = ledger.beginRun(entry: "e", remoteUIDs: ["a"], keepDays: 0, now: Self.t0, isDelivered: Self.none)
        ledger.recordFetching(entry: "e", uid: "a", localName: "n1", at: Self.t0)
        let plan = ledger.beginRun(entry: "e", remoteUIDs: ["a"], keepDays: 0, now: Self.t0, isDelivered: Self.none)
        #expect(plan == CollectionLedger.Plan(fetch: ["a"], delete: [], recovered: []))
    }

    /// Crash between delivery and remote deletion: delete again, never refetch.
    @Test func crashBeforeRemoteDeletionRetriesTheDeletionOnly() {
        var ledger = CollectionLedger()
        _ = ledger.beginRun(entry: "e", remoteUIDs: ["a"], keepDays: 0, now: Self.t0, isDelivered: Self.none)
        ledger.recordFetching(entry: "e", uid: "a", localName: "n1", at: Self.t0)
        ledger.recordDelivered(entry: "e", uid: "a", at: Self.t0)
        // … crash before QUIT: the server still lists "a".
        let plan = ledger.beginRun(entry: "e", remoteUIDs: ["a"], keepDays: 0, now: Self.at(days: 0.01), isDelivered: Self.none)
        #expect(plan == CollectionLedger.Plan(fetch: [], delete: ["a"], recovered: []))
        // A provider that said it deleted but still lists the message is asked again.
        ledger.recordRemoteDeleted(entry: "e", uids: ["a"], at: Self.at(days: 0.01))
        #expect(ledger.beginRun(entry: "e", remoteUIDs: ["a"], keepDays: 0, now: Self.at(days: 0.02), isDelivered: Self.none).delete == ["a"])
    }

    @Test func vanishedMessagesArePrunedAndReusedUIDsAreNew() {
        var ledger = CollectionLedger()
        var remote = ["a", "b"]
        var delivered: [String] = []
        Self.fullRun(&ledger, remote: &remote, keepDays: nil, now: Self.t0, delivered: &delivered)
        #expect(ledger.entries["e"]?.count == 2)
        // "a" deleted by the user at the provider.
        remote = ["b"]
        Self.fullRun(&ledger, remote: &remote, keepDays: nil, now: Self.at(days: 1), delivered: &delivered)
        #expect(ledger.record(entry: "e", uid: "a") == nil)
        #expect(delivered == ["a", "b"])
    }

    @Test func repeatedRunsNeverDuplicateOrLose() {
        var ledger = CollectionLedger()
        var remote = ["m1", "m2"]
        var delivered: [String] = []
        var day = 0.0
        for arrival in ["m3", "m4", "m5", "m6"] {
            for _ in 0..<3 { Self.fullRun(&ledger, remote: &remote, keepDays: 2, now: Self.at(days: day), delivered: &delivered) }
            remote.append(arrival)
            day += 1
        }
        for _ in 0..<5 { Self.fullRun(&ledger, remote: &remote, keepDays: 2, now: Self.at(days: day), delivered: &delivered); day += 1 }
        #expect(delivered == ["m1", "m2", "m3", "m4", "m5", "m6"])
        #expect(remote.isEmpty)
        #expect(ledger.entries.isEmpty || ledger.entries["e"]?.allSatisfy { $0.value.remoteDeleted != nil } == true)
    }

    @Test func rejectedMessagesAreNeitherFetchedNorDeleted() {
        var ledger = CollectionLedger()
        _ = ledger.beginRun(entry: "e", remoteUIDs: ["big"], keepDays: 0, now: Self.t0, isDelivered: Self.none)
        ledger.recordFetching(entry: "e", uid: "big", localName: "n", at: Self.t0)
        ledger.recordRejected(entry: "e", uid: "big", reason: "too large", at: Self.t0)
        let plan = ledger.beginRun(entry: "e", remoteUIDs: ["big"], keepDays: 0, now: Self.at(days: 30), isDelivered: { _ in true })
        #expect(plan == CollectionLedger.Plan(fetch: [], delete: [], recovered: []))
    }

    @Test func transientFetchFailureIsRetried() {
        var ledger = CollectionLedger()
        _ = ledger.beginRun(entry: "e", remoteUIDs: ["a"], keepDays: 0, now: Self.t0, isDelivered: Self.none)
        ledger.recordFetching(entry: "e", uid: "a", localName: "n", at: Self.t0)
        ledger.recordFetchFailed(entry: "e", uid: "a")
        #expect(ledger.entries.isEmpty)
        #expect(ledger.beginRun(entry: "e", remoteUIDs: ["a"], keepDays: 0, now: Self.t0, isDelivered: Self.none).fetch == ["a"])
    }

    @Test func deliveredRecordsAreNotDowngraded() {
        var ledger = CollectionLedger()
        ledger.recordDelivered(entry: "e", uid: "a", at: Self.t0)
        ledger.recordFetching(entry: "e", uid: "a", localName: "n", at: Self.at(days: 1))
        ledger.recordRejected(entry: "e", uid: "a", reason: "x", at: Self.at(days: 1))
        ledger.recordFetchFailed(entry: "e", uid: "a")
        ledger.recordDelivered(entry: "e", uid: "a", at: Self.at(days: 2))
        #expect(ledger.record(entry: "e", uid: "a")?.status == .delivered)
        #expect(ledger.record(entry: "e", uid: "a")?.delivered == Self.t0)
    }

    @Test func entriesAreIndependent() {
        var ledger = CollectionLedger()
        ledger.recordDelivered(entry: "work", uid: "a", at: Self.t0)
        #expect(ledger.beginRun(entry: "home", remoteUIDs: ["a"], keepDays: 0, now: Self.t0, isDelivered: Self.none).fetch == ["a"])
        #expect(ledger.beginRun(entry: "work", remoteUIDs: ["a"], keepDays: 0, now: Self.t0, isDelivered: Self.none).fetch == [])
        ledger.removeEntry("work")
        #expect(ledger.record(entry: "work", uid: "a") == nil)
    }

    @Test func codableRoundTrip() throws {
        var ledger = CollectionLedger()
        ledger.recordFetching(entry: "e", uid: "a", localName: "n1", at: Self.t0)
        ledger.recordDelivered(entry: "e", uid: "b", at: Self.t0)
        ledger.recordRejected(entry: "e", uid: "c", reason: "too large", at: Self.t0)
        ledger.recordRemoteDeleted(entry: "e", uids: ["b"], at: Self.at(days: 1))
        let data = try JSONEncoder().encode(ledger)
        #expect(try JSONDecoder().decode(CollectionLedger.self, from: data) == ledger)
    }

    @Test func imapKeysIncludeUIDValidity() {
        #expect(CollectionLedger.imapUID(uidValidity: 3857529045, uid: 7) == "3857529045.7")
        #expect(CollectionLedger.imapUID(uidValidity: nil, uid: 7) == "0.7")
        #expect(CollectionLedger.imapUID(uidValidity: 1, uid: 7) != CollectionLedger.imapUID(uidValidity: 2, uid: 7))
    }
}
