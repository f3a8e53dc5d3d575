import Foundation
import Testing
@testable import FacteurCore

/// Quota arithmetic (`MailboxQuota`) and the SMTP session's 452 4.2.2 at RCPT and end of DATA.
struct MailboxQuotaTests {
    @Test func noLimitAdmitsEverything() {
        let q = MailboxQuota(limit: .unlimited, usage: QuotaUsage(bytes: 1 << 40, messages: 1 << 30))
        #expect(!q.isFull && !q.isOver)
        #expect(q.admitsDelivery(ofSize: 1 << 40))
        #expect(q.admitsStoring(bytes: 1 << 40, messages: 1 << 30))
    }

    @Test func deliveryGetsTenPercentGraceWhileUnderTheLimit() {
        let limit = QuotaLimit(bytes: 1000)
        let under = MailboxQuota(limit: limit, usage: QuotaUsage(bytes: 950, messages: 1))
        #expect(under.admitsDelivery(ofSize: 150))     // 1,100 = limit + 10 %: the message crossing the line
        #expect(!under.admitsDelivery(ofSize: 151))    // beyond the grace
        #expect(!under.admitsStoring(bytes: 51, messages: 1))  // the user's own APPEND: no grace
        #expect(under.admitsStoring(bytes: 50, messages: 1))
        let at = MailboxQuota(limit: limit, usage: QuotaUsage(bytes: 1000, messages: 1))
        #expect(at.isFull && !at.isOver)
        #expect(!at.admitsDelivery(ofSize: 1))        // full: the next message waits
        let over = MailboxQuota(limit: limit, usage: QuotaUsage(bytes: 1050, messages: 2))
        #expect(over.isFull && over.isOver)
        #expect(!over.admitsDelivery(ofSize: 0))
    }

    @Test func messageCountLimit() {
        let q = MailboxQuota(limit: QuotaLimit(messages: 3), usage: QuotaUsage(bytes: 10, messages: 2))
        #expect(!q.isFull)
        #expect(q.admitsDelivery(ofSize: 1 << 30))     // no storage limit
        #expect(q.admitsStoring(bytes: 0, messages: 1))
        #expect(!q.admitsStoring(bytes: 0, messages: 2))
        #expect(MailboxQuota(limit: QuotaLimit(messages: 3), usage: QuotaUsage(messages: 3)).isFull)
    }

    @Test func storageIsCountedInKibibytesRoundedUp() {
        #expect(QuotaUsage(bytes: 0).kibibytes == 0)
        #expect(QuotaUsage(bytes: 1).kibibytes == 1)
        #expect(QuotaUsage(bytes: 1024).kibibytes == 1)
        #expect(QuotaUsage(bytes: 1025).kibibytes == 2)
    }
}

/// Fixed quotas by owner, for the session.
struct FixedQuotas: QuotaDirectory {
    var quotas: [String: MailboxQuota]
    func quota(of owner: String) -> MailboxQuota? { quotas[owner] }
}

struct SMTPQuotaTests {
    /// alice is full (1,000 of 1,000 octets); bob has 800 of 1,000.
    static let quotas = FixedQuotas(quotas: [
        "alice@example.com": MailboxQuota(limit: QuotaLimit(bytes: 1000), usage: QuotaUsage(bytes: 1000, messages: 3)),
        "bob@example.com": MailboxQuota(limit: QuotaLimit(bytes: 1000), usage: QuotaUsage(bytes: 800, messages: 2)),
    ])

    @Test func aFullRecipientIsDeferredWhileAnotherIsAccepted() {
        var d = SessionDriver(maxSize: 100_000, quotas: Self.quotas)
        #expect(d.codes("EHLO c\r\nMAIL FROM:<s@remote.test>\r\nRCPT TO:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\n")
                == [250, 250, 452, 250])
        #expect(d.replies[3].enhanced == "4.2.2")
        #expect(d.rejections == ["quota"])
        #expect(d.codes("DATA\r\nhi\r\n.\r\n") == [354, 250])
        #expect(d.stored.first?.0.owners == ["bob@example.com"])
        #expect(d.offences.isEmpty)   // a full mailbox is no misbehaviour of the sender
    }

    @Test func anAliasWithAFullOwnerIsDeferred() {
        var d = SessionDriver(maxSize: 100_000, quotas: Self.quotas)
        #expect(d.codes("EHLO c\r\nMAIL FROM:<s@remote.test>\r\nRCPT TO:<team@example.com>\r\n") == [250, 250, 452])
    }

    @Test func aDeclaredSizeBeyondTheGraceIsDeferredAtRCPT() {
        var d = SessionDriver(maxSize: 100_000, quotas: Self.quotas)
        // bob: 800 + 300 = 1,100 = the limit + 10 %: accepted; 301 is not.
        #expect(d.codes("EHLO c\r\nMAIL FROM:<s@remote.test> SIZE=300\r\nRCPT TO:<bob@example.com>\r\nRSET\r\n") == [250, 250, 250, 250])
        #expect(d.codes("MAIL FROM:<s@remote.test> SIZE=301\r\nRCPT TO:<bob@example.com>\r\n") == [250, 452])
    }

    @Test func aMessageOverTheGraceIsDeferredAtTheEndOfDATAForEveryRecipient() {
        let quotas = FixedQuotas(quotas: ["bob@example.com": MailboxQuota(limit: QuotaLimit(bytes: 1000), usage: QuotaUsage(bytes: 800))])
        var d = SessionDriver(maxSize: 100_000, quotas: quotas)
        _ = d.codes("EHLO c\r\nMAIL FROM:<s@remote.test>\r\nRCPT TO:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\n")
        let body = String(repeating: "0123456789012345678901234567890123456789\r\n", count: 10)   // 420 octets
        #expect(d.codes("DATA\r\n" + body + ".\r\n") == [354, 452])
        #expect(d.replies.last?.enhanced == "4.2.2")
        #expect(d.stored.isEmpty && d.open == nil)
        // The session goes on: a smaller message (within the grace) is taken for both.
        #expect(d.codes("MAIL FROM:<s@remote.test>\r\nRCPT TO:<alice@example.com>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\nsmall\r\n.\r\n")
                == [250, 250, 250, 354, 250])
        #expect(d.stored.count == 1)
    }

    @Test func bdatOverTheGraceIsDeferred() {
        let quotas = FixedQuotas(quotas: ["bob@example.com": MailboxQuota(limit: QuotaLimit(bytes: 1000), usage: QuotaUsage(bytes: 990))])
        var d = SessionDriver(maxSize: 100_000, quotas: quotas)
        _ = d.codes("EHLO c\r\nMAIL FROM:<s@remote.test>\r\nRCPT TO:<bob@example.com>\r\n")
        let chunk = String(repeating: "x", count: 200)
        #expect(d.codes("BDAT 200 LAST\r\n" + chunk) == [452])
        #expect(d.stored.isEmpty)
    }

    @Test func withoutQuotasNothingChanges() {
        var d = SessionDriver(maxSize: 100_000)
        #expect(d.codes("EHLO c\r\nMAIL FROM:<s@remote.test> SIZE=99999\r\nRCPT TO:<alice@example.com>\r\nDATA\r\nx\r\n.\r\n")
                == [250, 250, 250, 354, 250])
    }
}
