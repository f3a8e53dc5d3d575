import Foundation
import Testing
@testable import FacteurIMAPCore

struct MessageTableTests {
    static func record(_ uid: UInt32, _ flags: Set<Flag> = [], size: Int = 10) -> MessageRecord {
        MessageRecord(uid: uid, flags: flags, internalDate: Date(timeIntervalSince1970: Double(uid) * 60), size: size)
    }

    static func base(_ array: [UInt32]) -> UnsafeRawPointer? {
        array.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    @Test func readsBackWhatWasAppended() {
        let records = [Self.record(3, [.seen, .flagged]), Self.record(7, [Flag("$Forwarded"), .draft], size: 99),
                       Self.record(9), Self.record(12, [Flag("\\Custom"), Flag("Junk")])]
        let table = MessageTable(records)
        #expect(Array(table) == records)
        #expect(table.uids == [3, 7, 9, 12])
        #expect(table.index(of: 9) == 2 && table.index(of: 8) == nil)
        #expect(table.uids(with: .seen) == [3])
        #expect(table.keywordsInUse == [Flag("$Forwarded"), Flag("\\Custom"), Flag("Junk")])
    }

    @Test func changesAndRemovals() {
        var table = MessageTable((1...6).map { Self.record($0, $0 % 2 == 0 ? [Flag("k\($0)")] : []) })
        table.setFlags([.deleted, Flag("k1")], at: 0)
        table.setFlags([], at: 1)
        table.remove(atSortedIndices: [1, 3, 5])
        #expect(table.uids == [1, 3, 5])
        #expect(Array(table) == [Self.record(1, [.deleted, Flag("k1")]), Self.record(3), Self.record(5)])
        #expect(table.keywordsInUse == [Flag("k1")])
    }

    @Test func equalityIgnoresInterningOrder() {
        var a = MessageTable([Self.record(1, [Flag("x")]), Self.record(2, [Flag("y")])])
        let b = MessageTable([Self.record(1), Self.record(2, [Flag("y")])])
        #expect(a != b)
        a.setFlags([], at: 0)
        #expect(a == b)
        #expect(a.sameFlags(at: 1, as: b, at: 1))
    }

    @Test func sessionsShareTheStoresTableUntilTheyChangeIt() {
        let shared = MessageTable((1...1000).map { Self.record($0) })
        let snapshot = IMAPMailboxSnapshot(uidValidity: 1, uidNext: 1001, messages: shared)
        var one = SelectedMailbox(name: .inbox, readOnly: false, snapshot: snapshot)
        let two = SelectedMailbox(name: .inbox, readOnly: false, snapshot: snapshot)
        #expect(Self.base(one.records.uids) == Self.base(shared.uids))
        #expect(Self.base(two.records.uids) == Self.base(shared.uids))
        // A STORE changes one session's copy only…
        one.update(flags: [5: [.seen]])
        #expect(one.records[4].flags == [.seen] && two.records[4].flags == [])
        // …and its next resynchronisation with the store's (changed) table shares it again.
        var changed = shared
        changed.setFlags([.seen], at: 4)
        #expect(one.synchronize(with: IMAPMailboxSnapshot(uidValidity: 1, uidNext: 1001, messages: changed)) == [])
        #expect(Self.base(one.records.uids) == Self.base(changed.uids))
        // New messages: the session adopts the store's table when it knew all the others.
        var grown = changed
        grown.append(Self.record(1001))
        #expect(one.synchronize(with: IMAPMailboxSnapshot(uidValidity: 1, uidNext: 1002, messages: grown)) == [.exists(1001), .recent(0)])
        #expect(Self.base(one.records.uids) == Self.base(grown.uids))
    }
}
