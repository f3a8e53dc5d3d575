import Foundation
import Testing
@testable import FacteurIMAPCore
import FacteurMIME

/// SORT and THREAD on small hand-made mailboxes (RFC 5256 §2.2, §3, §4).
struct ThreadBuilderTests {
    /// A message numbered by its position (1-based), sent `date` seconds after the epoch.
    static func message(_ number: UInt32, date: Double? = nil, internalDate: Double = 0, size: Int = 0, subject: String = "",
                        id: String? = nil, references: [String] = [], from: String = "") -> SortableMessage {
        SortableMessage(number: number, sequence: number, internalDate: internalDate, size: size,
                        fields: MessageSortFields(sentDate: date.map(Date.init(timeIntervalSince1970:)), subject: BaseSubject(subject: subject),
                                                  fromKey: BaseSubject.casemap(from), messageID: id, references: references))
    }

    @Test func sortTiesFallBackToTheMailboxOrder() {
        let messages = [Self.message(1, date: 30, size: 5, subject: "b"), Self.message(2, date: 10, size: 5, subject: "Re: a"),
                        Self.message(3, date: 20, size: 9, subject: "a"), Self.message(4, internalDate: 15, size: 1, subject: "B")]
        #expect(MessageSorter.sort(messages, by: [SortCriterion(.date)]) == [2, 4, 3, 1])
        #expect(MessageSorter.sort(messages, by: [SortCriterion(.subject)]) == [2, 3, 1, 4])
        #expect(MessageSorter.sort(messages, by: [SortCriterion(.subject, reverse: true)]) == [1, 4, 2, 3])
        #expect(MessageSorter.sort(messages, by: [SortCriterion(.size, reverse: true), SortCriterion(.date)]) == [3, 2, 1, 4])
        #expect(MessageSorter.sort(messages, by: [SortCriterion(.arrival, reverse: true)]) == [4, 1, 2, 3])
    }

    @Test func orderedSubject() {
        let messages = [Self.message(1, date: 50, subject: "lunch"), Self.message(2, date: 10, subject: "plans"),
                        Self.message(3, date: 40, subject: "Re: plans"), Self.message(4, date: 30, subject: "Re: lunch"),
                        Self.message(5, date: 20, subject: "Fwd: plans")]
        #expect(ThreadBuilder.thread(messages, algorithm: .orderedSubject)
            == [ThreadNode(2, [ThreadNode(5), ThreadNode(3)]), ThreadNode(4, [ThreadNode(1)])])
    }

    @Test func referencesLinksRepliesAndSortsSiblingsByDate() {
        let messages = [
            Self.message(1, date: 10, subject: "Plan", id: "a@x"),
            Self.message(2, date: 30, subject: "Re: Plan", id: "c@x", references: ["a@x"]),
            Self.message(3, date: 20, subject: "Re: Plan", id: "b@x", references: ["a@x"]),
            Self.message(4, date: 40, subject: "Re: Plan", id: "d@x", references: ["a@x", "b@x"]),
            Self.message(5, date: 5, subject: "Other", id: "e@x"),
        ]
        #expect(ThreadBuilder.thread(messages, algorithm: .references)
            == [ThreadNode(5), ThreadNode(1, [ThreadNode(3, [ThreadNode(4)]), ThreadNode(2)])])
    }

    @Test func missingParentsBecomeADummyOnlyWhenTheyJoinSeveralRoots() {
        // Two replies to a message we do not have: a dummy groups them at the root.
        let twoReplies = [Self.message(1, date: 20, subject: "x", id: "r1@x", references: ["gone@x"]),
                          Self.message(2, date: 10, subject: "y", id: "r2@x", references: ["gone@x"])]
        #expect(ThreadBuilder.thread(twoReplies, algorithm: .references) == [ThreadNode(nil, [ThreadNode(2), ThreadNode(1)])])
        // A single one is promoted to the root.
        #expect(ThreadBuilder.thread([twoReplies[0]], algorithm: .references) == [ThreadNode(1)])
    }

    @Test func rootsWithTheSameBaseSubjectAreGathered() {
        let messages = [Self.message(1, date: 10, subject: "Budget", id: "a@x"),
                        Self.message(2, date: 20, subject: "Re: Budget", id: "b@x"),
                        Self.message(3, date: 30, subject: "Budget", id: "c@x"),
                        Self.message(4, date: 40, subject: "", id: "d@x"),
                        Self.message(5, date: 50, subject: "", id: "e@x")]
        // 2 is a reply: it goes under the non-reply 1; then 3 (not a reply) meets 1 (not a
        // reply): a dummy holds both. Empty subjects are never gathered.
        #expect(ThreadBuilder.thread(messages, algorithm: .references)
            == [ThreadNode(nil, [ThreadNode(1, [ThreadNode(2)]), ThreadNode(3)]), ThreadNode(4), ThreadNode(5)])
    }

    @Test func duplicateIDsAndLoopsAreHandled() {
        // imaptest "thread2": the same Message-ID twice makes two threads.
        let duplicates = [Self.message(1, internalDate: 1, id: "a@b"), Self.message(2, internalDate: 1, id: "a@b")]
        #expect(ThreadBuilder.thread(duplicates, algorithm: .references) == [ThreadNode(1), ThreadNode(2)])
        // imaptest "thread": c's own References would make a loop (b is already c's child); its
        // old parent link is broken all the same, so c starts a thread.
        let loop = [Self.message(1, internalDate: 17, id: "a@b"),
                    Self.message(2, internalDate: 15, id: "b@b", references: ["a@b", "c@b"]),
                    Self.message(3, internalDate: 16, id: "c@b", references: ["b@b"])]
        #expect(ThreadBuilder.thread(loop, algorithm: .references) == [ThreadNode(3, [ThreadNode(2)]), ThreadNode(1)])
        // A message that names itself as its parent.
        #expect(ThreadBuilder.thread([Self.message(1, id: "s@x", references: ["s@x"])], algorithm: .references) == [ThreadNode(1)])
    }

    @Test func deepChainsAreCut() {
        let count = IMAPLimits.maxThreadDepth + 50
        let messages = (1...count).map { index in
            Self.message(UInt32(index), date: Double(index), id: "m\(index)@x", references: index == 1 ? [] : ["m\(index - 1)@x"])
        }
        let threads = ThreadBuilder.thread(messages, algorithm: .references)
        #expect(threads.count == 2)
        var depth = 0
        var node = threads[0]
        while let child = node.children.first { node = child; depth += 1 }
        #expect(depth == IMAPLimits.maxThreadDepth)
    }
}
