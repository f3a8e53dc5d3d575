import Testing
@testable import FacteurIMAPCore

private func parse(_ text: String) throws(IMAPParseError) -> Command {
    try IMAPCommandParser.parse(Array(text.utf8)).command
}

/// ESEARCH (RFC 4731), SEARCHRES `$` (RFC 5182), SORT / THREAD (RFC 5256), ESORT (RFC 5267) grammar.
struct SortCommandTests {
    @Test func searchReturnOptions() throws {
        #expect(try parse("a SEARCH RETURN (MIN MAX) UNSEEN\r\n")
            == .extendedSearch(ExtendedSearchCommand(key: .unseen, returning: SearchReturnOptions(min: true, max: true))))
        #expect(try parse("a UID SEARCH RETURN () CHARSET UTF-8 ALL SEEN\r\n")
            == .extendedSearch(ExtendedSearchCommand(charset: "UTF-8", key: .and([.all, .seen]), uid: true, returning: .allResults)))
        #expect(try parse("a SEARCH RETURN (SAVE) 1:3\r\n")
            == .extendedSearch(ExtendedSearchCommand(key: .sequenceNumbers(try SequenceSet(parsing: "1:3")), returning: SearchReturnOptions(save: true))))
        // "RETURN" as the start of a search key would be a syntax error anyway; plain SEARCH stays.
        #expect(try parse("a SEARCH ALL\r\n") == .search(charset: nil, key: .all, uid: false))
        #expect(throws: IMAPParseError.self) { try parse("a SEARCH RETURN (FOO) ALL\r\n") }
        #expect(throws: IMAPParseError.self) { try parse("a SEARCH RETURN (MIN ALL\r\n") }
    }

    @Test func savedResultReference() throws {
        #expect(try parse("a FETCH $ (FLAGS)\r\n") == .fetch(.savedResult, [.flags], uid: false))
        #expect(try parse("a UID COPY $ Archive\r\n") == .copy(.savedResult, IMAPMailboxName(wire: "Archive"), uid: true))
        #expect(try parse("a SEARCH $ SEEN\r\n") == .search(charset: nil, key: .and([.sequenceNumbers(.savedResult), .seen]), uid: false))
        #expect(try parse("a SEARCH UID $\r\n") == .search(charset: nil, key: .uid(.savedResult), uid: false))
        #expect(SequenceSet.savedResult.description == "$")
        #expect(throws: IMAPParseError.self) { try parse("a FETCH $,1 FLAGS\r\n") }
    }

    @Test func sort() throws {
        #expect(try parse("a SORT (REVERSE DATE subject) UTF-8 ALL\r\n")
            == .sort(SortCommand(criteria: [SortCriterion(.date, reverse: true), SortCriterion(.subject)], charset: "UTF-8", key: .all)))
        #expect(try parse("a UID SORT (DISPLAYFROM) us-ascii SEEN UNDELETED\r\n")
            == .sort(SortCommand(criteria: [SortCriterion(.displayFrom)], charset: "us-ascii", key: .and([.seen, .undeleted]), uid: true)))
        #expect(try parse("a SORT RETURN (COUNT ALL) (ARRIVAL) UTF-8 1:5\r\n")
            == .sort(SortCommand(criteria: [SortCriterion(.arrival)], charset: "UTF-8", key: .sequenceNumbers(try SequenceSet(parsing: "1:5")),
                                 returning: SearchReturnOptions(all: true, count: true))))
        #expect(throws: IMAPParseError.self) { try parse("a SORT () UTF-8 ALL\r\n") }
        #expect(throws: IMAPParseError.self) { try parse("a SORT (SENDER) UTF-8 ALL\r\n") }
        #expect(throws: IMAPParseError.self) { try parse("a SORT (DATE) ALL\r\n") }
        #expect(throws: IMAPParseError.self) { try parse("a SORT (REVERSE) UTF-8 ALL\r\n") }
        do {
            _ = try parse("a SORT (DATE) KOI8-R ALL\r\n")
            Issue.record("an unknown charset parsed")
        } catch {
            #expect(error.kind == .unsupportedCharset("KOI8-R"))
        }
    }

    @Test func thread() throws {
        #expect(try parse("a THREAD REFERENCES UTF-8 ALL\r\n") == .thread(ThreadCommand(algorithm: .references, charset: "UTF-8", key: .all)))
        #expect(try parse("a UID THREAD orderedsubject US-ASCII SINCE 1-Feb-1994\r\n")
            == .thread(ThreadCommand(algorithm: .orderedSubject, charset: "US-ASCII", key: .since(IMAPDate(year: 1994, month: 2, day: 1)!), uid: true)))
        #expect(throws: IMAPParseError.self) { try parse("a THREAD REFS UTF-8 ALL\r\n") }
    }

    @Test(arguments: [
        "a SEARCH RETURN (MIN MAX ALL COUNT SAVE) CHARSET UTF-8 SEEN\r\n",
        "a UID SORT RETURN (ALL) (REVERSE SIZE CC) UTF-8 UNSEEN\r\n",
        "a SORT (ARRIVAL) UTF-8 1:*\r\n",
        "a UID THREAD REFERENCES UTF-8 ALL\r\n",
        "a UID FETCH $ (UID)\r\n",
    ])
    func roundTrip(_ text: String) throws {
        let command = try IMAPCommandParser.parse(Array(text.utf8))
        var writer = IMAPWriter()
        writer.command(command)
        #expect(try IMAPCommandParser.parse(writer.bytes) == command)
    }

    @Test func esearchEncoding() {
        func text(_ response: ESearchResponse) -> String { IMAPResponseEncoder.encode(.untagged(.esearch(response))).text }
        #expect(text(ESearchResponse(tag: "a1", uid: true, options: SearchReturnOptions(min: true, max: true, all: true, count: true),
                                     matches: [2, 3, 4, 9])) == "* ESEARCH (TAG \"a1\") UID MIN 2 MAX 9 ALL 2:4,9 COUNT 4\r\n")
        #expect(text(ESearchResponse(tag: "b", uid: false, options: .allResults, matches: [])) == "* ESEARCH (TAG \"b\")\r\n")
        #expect(text(ESearchResponse(tag: "c", uid: false, options: SearchReturnOptions(min: true, count: true), matches: []))
            == "* ESEARCH (TAG \"c\") COUNT 0\r\n")
        // ESORT: ALL keeps the sort order; MIN and MAX are still the lowest and highest.
        #expect(text(ESearchResponse(tag: "d", uid: false, options: SearchReturnOptions(min: true, max: true, all: true),
                                     matches: [5, 6, 7, 1, 4, 3, 2], ordered: true)) == "* ESEARCH (TAG \"d\") MIN 1 MAX 7 ALL 5:7,1,4,3,2\r\n")
        // The CONDSTORE hook.
        var withModSeq = ESearchResponse(tag: "e", uid: true, options: SearchReturnOptions(count: true), matches: [1])
        withModSeq.modSeq = 917
        #expect(text(withModSeq) == "* ESEARCH (TAG \"e\") UID COUNT 1 MODSEQ 917\r\n")
    }

    @Test func saveKeepsMinAndMaxOnlyWhenAsked() {
        #expect(SearchReturnOptions(min: true, save: true).saved([3, 5, 8]) == [3])
        #expect(SearchReturnOptions(min: true, max: true, save: true).saved([3, 5, 8]) == [3, 8])
        #expect(SearchReturnOptions(min: true, count: true, save: true).saved([3, 5, 8]) == [3, 5, 8])
        #expect(SearchReturnOptions(save: true).saved([3, 5, 8]) == [3, 5, 8])
    }

    @Test func threadEncoding() {
        func text(_ threads: [ThreadNode]) -> String { IMAPResponseEncoder.encode(.untagged(.thread(threads))).text }
        // RFC 5256 §4's example.
        let example: [ThreadNode] = [
            ThreadNode(2), ThreadNode(3, [ThreadNode(6, [ThreadNode(4, [ThreadNode(23)]), ThreadNode(44, [ThreadNode(7, [ThreadNode(96)])])])]),
        ]
        #expect(text(example) == "* THREAD (2)(3 6 (4 23)(44 7 96))\r\n")
        #expect(text([ThreadNode(nil, [ThreadNode(3), ThreadNode(5)])]) == "* THREAD ((3)(5))\r\n")
        #expect(text([]) == "* THREAD\r\n")
    }
}
