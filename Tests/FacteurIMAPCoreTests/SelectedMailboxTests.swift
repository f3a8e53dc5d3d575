import Foundation
import Testing
@testable import FacteurIMAPCore

struct SelectedMailboxTests {
    static func record(_ uid: UInt32, _ flags: Set<Flag> = []) -> MessageRecord {
        MessageRecord(uid: uid, flags: flags, internalDate: Date(timeIntervalSince1970: 0), size: 10)
    }

    static func mailbox(_ uids: [UInt32]) -> SelectedMailbox {
        SelectedMailbox(name: .inbox, readOnly: false,
                        snapshot: IMAPMailboxSnapshot(uidValidity: 7, uidNext: (uids.last ?? 0) + 1, messages: uids.map { record($0) }))
    }

    @Test func expungeNumbersStayValid() {
        var mailbox = Self.mailbox([10, 20, 30, 40])
        // Removing 20 and 30: "2 EXPUNGE" twice, since 30 becomes number 2 once 20 is gone.
        #expect(mailbox.remove([20, 30]) == [.expunge(2), .expunge(2)])
        #expect(mailbox.uids == [10, 40])
        #expect(mailbox.sequenceNumber(of: 40) == 2)
        #expect(mailbox.sequenceNumber(of: 20) == nil)
    }

    @Test func targets() throws {
        let mailbox = Self.mailbox([10, 20, 30])
        #expect(mailbox.targets(try SequenceSet(parsing: "2:*"), uid: false) == [20, 30])
        #expect(mailbox.targets(try SequenceSet(parsing: "4"), uid: false) == nil)
        #expect(mailbox.targets(try SequenceSet(parsing: "15:25,99"), uid: true) == [20])
        #expect(Self.mailbox([]).targets(.all, uid: false) == nil)
        #expect(Self.mailbox([]).targets(.all, uid: true) == [])
    }

    @Test func synchronizeReportsChanges() {
        var mailbox = Self.mailbox([10, 20, 30])
        let snapshot = IMAPMailboxSnapshot(uidValidity: 7, uidNext: 52,
                                       messages: [Self.record(10), Self.record(30, [.seen]), Self.record(50), Self.record(51)],
                                       recent: [51])
        #expect(mailbox.synchronize(with: snapshot) == [
            .expunge(2),
            .fetch(2, [.flags([.seen]), .uid(30)]),
            .exists(4),
            .recent(1),
        ])
        #expect(mailbox.uids == [10, 30, 50, 51])
        #expect(mailbox.synchronize(with: snapshot) == [])
    }
}
