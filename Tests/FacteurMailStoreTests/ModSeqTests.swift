import Foundation
import Testing
@testable import FacteurMailStore

/// RFC 7162 mod-sequences in the index: every change takes a new one, expunges are logged,
/// STORE UNCHANGEDSINCE is decided under the lock, and a rebuilt index never goes backwards.
@Suite struct ModSeqTests {
    let alice = "alice@example.test"

    private func modSeqs(_ f: Fixture) throws -> [UInt32: Int64] {
        let snap = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true)
        return Dictionary(uniqueKeysWithValues: zip(snap.messages.map(\.uid), snap.modSeqs))
    }

    @Test func everyChangeTakesTheNextModSeq() throws {
        let f = try Fixture.inbox(alice, messages: 3)
        let start = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true)
        // The clock floor: values are microseconds of the store's clock, or above.
        #expect(start.highestModSeq >= Int64(f.clock.now.timeIntervalSince1970 * 1_000_000))
        #expect(start.modSeqs.allSatisfy { $0 <= start.highestModSeq })

        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [2], operation: .add, flags: [.seen])
        let afterStore = try modSeqs(f)
        let h1 = try f.store.status(owner: alice, mailbox: "INBOX").highestModSeq
        #expect(h1 > start.highestModSeq)
        #expect(afterStore[2] == h1)
        #expect(afterStore[1] == start.modSeqs[0] && afterStore[3] == start.modSeqs[2])

        // A STORE that changes nothing takes no mod-sequence.
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [2], operation: .add, flags: [.seen])
        #expect(try f.store.status(owner: alice, mailbox: "INBOX").highestModSeq == h1)

        let appended = try f.store.append(owner: alice, mailbox: "INBOX", source: .bytes(Fixture.message("new")))
        let h2 = try f.store.status(owner: alice, mailbox: "INBOX").highestModSeq
        #expect(h2 > h1)
        #expect(try modSeqs(f)[appended.uid] == h2)

        try f.store.createMailbox(owner: alice, name: "Keep")
        let copied = try f.store.copy(owner: alice, from: "INBOX", uids: [1], to: "Keep")
        let archive = try f.store.select(owner: alice, mailbox: "Keep", readOnly: true)
        #expect(archive.modSeqs == [archive.highestModSeq] && copied.mapping.count == 1)
    }

    @Test func expungesAreLoggedWithTheirModSeq() throws {
        let f = try Fixture.inbox(alice, messages: 6)
        let h0 = try f.store.status(owner: alice, mailbox: "INBOX").highestModSeq
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [2, 3, 4], operation: .add, flags: [.deleted])
        #expect(try f.store.expunge(owner: alice, mailbox: "INBOX") == [2, 3, 4])
        let h1 = try f.store.status(owner: alice, mailbox: "INBOX").highestModSeq
        try f.store.createMailbox(owner: alice, name: "Keep")
        try f.store.move(owner: alice, from: "INBOX", uids: [6], to: "Keep")
        let h2 = try f.store.status(owner: alice, mailbox: "INBOX").highestModSeq
        #expect(h0 < h1 && h1 < h2)
        #expect(try f.store.vanished(owner: alice, mailbox: "INBOX", since: h0) == [2, 3, 4, 6])
        #expect(try f.store.vanished(owner: alice, mailbox: "INBOX", since: h1) == [6])
        #expect(try f.store.vanished(owner: alice, mailbox: "INBOX", since: h2) == [])

        // A file removed by another program is logged too, when the sync notices it.
        let cur = f.maildir() + "/cur/"
        let victim = try #require(f.files("cur").first)
        try FileManager.default.removeItem(atPath: cur + victim)
        f.ageDirectories()
        try f.store.sync(owner: alice, mailbox: "INBOX")
        #expect(try f.store.vanished(owner: alice, mailbox: "INBOX", since: h2) == [1])
    }

    @Test func conditionalStoreLeavesMessagesChangedSince() throws {
        let f = try Fixture.inbox(alice, messages: 3)
        let h0 = try f.store.status(owner: alice, mailbox: "INBOX").highestModSeq
        try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [2], operation: .add, flags: [.flagged])
        let result = try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1, 2, 3], operation: .add, flags: [.seen],
                                            keywords: [], unchangedSince: h0)
        #expect(result.modified == [2])
        #expect(result.states.map(\.uid) == [1, 3])
        #expect(result.states.allSatisfy { $0.flags.contains(.seen) })
        let h = try f.store.status(owner: alice, mailbox: "INBOX").highestModSeq
        #expect(result.modSeqs == [h, h])
        #expect(try f.store.messageStates(owner: alice, mailbox: "INBOX").first { $0.uid == 2 }?.flags == [.flagged])
        // UNCHANGEDSINCE 0 always fails (RFC 7162 §3.1.3).
        #expect(try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: [.draft],
                                       unchangedSince: 0).modified == [1])
    }

    @Test func rebuiltIndexNeverGoesBackwards() throws {
        let f = try Fixture.inbox(alice, messages: 4)
        // Many changes in the same instant: the counter runs ahead of the (frozen) clock.
        for _ in 0..<50 {
            try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .add, flags: [.seen])
            try f.store.storeFlags(owner: alice, mailbox: "INBOX", uids: [1], operation: .remove, flags: [.seen])
        }
        let before = try f.store.status(owner: alice, mailbox: "INBOX")
        try f.loseDatabase()   // the index is deleted and rebuilt from the Maildir (clock: one hour later)
        let after = try f.store.select(owner: alice, mailbox: "INBOX", readOnly: true)
        #expect(after.count == 4)
        #expect(after.highestModSeq > before.highestModSeq)
        #expect(after.modSeqs.allSatisfy { $0 > before.highestModSeq })
    }

    @Test func uidRangesRoundTrip() {
        #expect(UIDRanges.encode([7, 1, 2, 3, 9, 10, 3]) == "1:3,7,9:10")
        #expect(UIDRanges.decode("1:3,7,9:10") == [1, 2, 3, 7, 9, 10])
        #expect(UIDRanges.decode("x,5:4,8") == [8])
    }
}
