import Foundation
import Testing
@testable import FacteurIMAPCore
import FacteurMIME

struct SearchEvaluatorTests {
    static let utc = TimeZone(secondsFromGMT: 0)!
    /// 2001-04-20 23:30 UTC: already 21 April in UTC+2.
    static let internalDate = Date(timeIntervalSince1970: 987_809_400)

    static func message(_ seq: UInt32 = 3, uid: UInt32 = 30, flags: Set<Flag> = [.seen]) throws -> ParsedSearchableMessage {
        ParsedSearchableMessage(sequenceNumber: seq, uid: uid, flags: flags, internalDate: internalDate,
                                message: MIMEMessage(try Fixtures.mime("msg_10.txt")))
    }

    static let context = SearchContext(messageCount: 5, maxUID: 50, timeZone: utc)

    private func key(_ text: String) throws -> SearchKey {
        guard case .search(_, let key, _) = try IMAPCommandParser.parse(Array("t SEARCH \(text)\r\n".utf8)).command else {
            throw IMAPParseError("not a search")
        }
        return key
    }

    @Test(arguments: [
        // flags
        ("ALL", true), ("SEEN", true), ("UNSEEN", false), ("ANSWERED", false), ("UNANSWERED", true),
        ("DELETED", false), ("UNDELETED", true), ("FLAGGED", false), ("UNFLAGGED", true), ("DRAFT", false), ("UNDRAFT", true),
        ("RECENT", false), ("OLD", true), ("NEW", false), ("KEYWORD $junk", false), ("UNKEYWORD $Junk", true),
        // headers, case-insensitive, encoded words decoded
        ("FROM barry", true), ("FROM BARRY@PYTHON", true), ("FROM nobody", false), ("TO dingus", true), ("CC x", false),
        ("SUBJECT lyr", true), ("HEADER Content-Type multipart", true), ("HEADER X-Missing \"\"", false),
        ("HEADER mime-version \"\"", true), ("BCC a", false),
        // bodies, decoded
        ("BODY \"quoted printable encoded\"", true), ("BODY \"base64 encoded message\"", true), ("BODY lyrics", false),
        ("TEXT lyrics", true), ("TEXT \"no content-transfer\"", true),
        // sizes (msg_10 is 923 octets with CRLF)
        ("LARGER 922", true), ("LARGER 923", false), ("SMALLER 924", true), ("SMALLER 923", false), ("SMALLER 10", false),
        // internal date: 20-Apr-2001 in UTC
        ("ON 20-Apr-2001", true), ("BEFORE 20-Apr-2001", false), ("BEFORE 21-Apr-2001", true), ("SINCE 20-Apr-2001", true),
        ("SINCE 21-Apr-2001", false),
        // Date: header "Fri, 20 Apr 2001 19:35:02 -0400"
        ("SENTON 20-Apr-2001", true), ("SENTBEFORE 20-Apr-2001", false), ("SENTSINCE 21-Apr-2001", false), ("SENTSINCE 1-Jan-2001", true),
        // numbers
        ("3", true), ("1:2", false), ("*", false), ("2:*", true), ("UID 30", true), ("UID 31:*", false), ("UID 1:*", true),
        // logic
        ("NOT SEEN", false), ("OR UNSEEN FROM barry", true), ("OR UNSEEN DELETED", false),
        ("(SEEN FROM barry)", true), ("SEEN FROM nobody", false), ("NOT (SEEN NOT SEEN)", true),
    ])
    func evaluates(_ text: String, _ expected: Bool) throws {
        #expect(SearchEvaluator.matches(try key(text), try Self.message(), context: Self.context) == expected)
    }

    @Test func internalDateDayDependsOnServerZone() throws {
        let plusTwo = SearchContext(messageCount: 5, maxUID: 50, timeZone: TimeZone(secondsFromGMT: 7200)!)
        #expect(SearchEvaluator.matches(.on(IMAPDate(year: 2001, month: 4, day: 21)!), try Self.message(), context: plusTwo))
    }

    @Test func searchReturnsSortedNumbers() throws {
        let messages = [
            try Self.message(1, uid: 10, flags: []),
            try Self.message(2, uid: 20, flags: [.seen, .recent]),
            try Self.message(3, uid: 30, flags: [.recent]),
        ]
        #expect(SearchEvaluator.search(.new, in: messages, context: Self.context, uid: false) == [3])
        #expect(SearchEvaluator.search(.unseen, in: messages, context: Self.context, uid: true) == [10, 30])
        #expect(SearchEvaluator.search(.all, in: messages, context: Self.context, uid: false) == [1, 2, 3])
    }

    @Test(arguments: [
        ("Fri, 20 Apr 2001 19:35:02 -0400", IMAPDate(year: 2001, month: 4, day: 20)),
        ("20 Apr 2001 19:35 -0400", IMAPDate(year: 2001, month: 4, day: 20)),
        ("Mon, 1 Jan 01 00:00:00 GMT", IMAPDate(year: 2001, month: 1, day: 1)),
        ("Mon, 1 Jan 99 00:00:00 GMT", IMAPDate(year: 1999, month: 1, day: 1)),
        ("Thu, 31 September 2001 00:00 +0000", nil),
        ("yesterday", nil),
    ])
    func sentDates(_ value: String, _ expected: IMAPDate?) {
        #expect(RFC5322Date.day(value) == expected)
    }
}
