import Testing
@testable import FacteurIMAPCore

/// RFC 7162 arguments: SELECT parameters, FETCH / STORE modifiers, SEARCH MODSEQ, and the
/// responses they produce.
@Suite struct ModSeqGrammarTests {
    private func parse(_ line: String) throws -> Command {
        try IMAPCommandParser.parse(Array((line + "\r\n").utf8)).command
    }

    @Test func selectParameters() throws {
        #expect(try parse("a SELECT INBOX (CONDSTORE)") == .selectWithParameters(.inbox, SelectParameters(condstore: true), readOnly: false))
        #expect(try parse("a EXAMINE INBOX") == .examine(.inbox))
        let full = try parse("a SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541 (1:3 41,43,45)))")
        let expected = QResyncParameters(uidValidity: 67890007, modSeq: 20050715194045000,
                                         knownUIDs: try SequenceSet(parsing: "41,43:211,214:541"),
                                         sequenceMatch: SequenceMatchData(sequences: try SequenceSet(parsing: "1:3"),
                                                                          uids: try SequenceSet(parsing: "41,43,45")))
        #expect(full == .selectWithParameters(.inbox, SelectParameters(qresync: expected), readOnly: false))
        #expect(try parse("a EXAMINE INBOX (QRESYNC (5 9))")
            == .selectWithParameters(.inbox, SelectParameters(qresync: QResyncParameters(uidValidity: 5, modSeq: 9)), readOnly: true))
        #expect(try parse("a SELECT INBOX (QRESYNC (5 9 (2 7)))")
            == .selectWithParameters(.inbox, SelectParameters(qresync: QResyncParameters(
                uidValidity: 5, modSeq: 9, sequenceMatch: SequenceMatchData(sequences: try SequenceSet(parsing: "2"),
                                                                            uids: try SequenceSet(parsing: "7")))), readOnly: false))
    }

    @Test(arguments: [
        "a SELECT INBOX (FROB)",
        "a SELECT INBOX ()",
        "a SELECT INBOX (QRESYNC (0 9))",                       // UIDVALIDITY is nz-number
        "a SELECT INBOX (QRESYNC (5 0))",                       // mod-sequence-value is not 0
        "a SELECT INBOX (QRESYNC (5 9223372036854775808))",     // 2^63
        "a FETCH 1 FLAGS (CHANGEDSINCE 0)",
        "a FETCH 1 FLAGS (CHANGEDSINCE)",
        "a FETCH 1 FLAGS (FROB)",
        "a STORE 1 (UNCHANGEDSINCE) +FLAGS \\Seen",
        "a STORE 1 (FROB 3) +FLAGS \\Seen",
        "a SEARCH MODSEQ \"/vendor/x\" all 5",
        "a SEARCH MODSEQ \"/flags/\\\\seen\" most 5",
        "a SEARCH MODSEQ x",
    ])
    func refuses(_ line: String) {
        #expect(throws: IMAPParseError.self) { try parse(line) }
    }

    @Test func fetchStoreSearchAndStatus() throws {
        #expect(try parse("a FETCH 1:* (FLAGS MODSEQ)") == .fetch(try SequenceSet(parsing: "1:*"), [.flags, .modSeq], uid: false))
        #expect(try parse("a UID FETCH 1:* FLAGS (CHANGEDSINCE 12345 VANISHED)")
            == .fetchWithModifiers(try SequenceSet(parsing: "1:*"), [.flags, .uid], FetchModifiers(changedSince: 12345, vanished: true), uid: true))
        #expect(try parse("a STORE 1:3 (UNCHANGEDSINCE 0) +FLAGS.SILENT (\\Deleted)")
            == .store(try SequenceSet(parsing: "1:3"), StoreAction(mode: .add, silent: true, flags: [.deleted], unchangedSince: 0), uid: false))
        #expect(try parse("a SEARCH MODSEQ 620162338") == .search(charset: nil, key: .modSeq(620162338), uid: false))
        #expect(try parse("a SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338 UNSEEN")
            == .search(charset: nil, key: .and([.modSeq(620162338), .unseen]), uid: false))
        #expect(try parse("a STATUS INBOX (UIDNEXT HIGHESTMODSEQ)") == .status(.inbox, [.uidNext, .highestModSeq]))
        #expect(try parse("a ENABLE CONDSTORE QRESYNC") == .enable(["CONDSTORE", "QRESYNC"]))
    }

    /// parse → encode → parse gives the same command.
    @Test(arguments: [
        "a SELECT INBOX (CONDSTORE)",
        "a EXAMINE INBOX (QRESYNC (5 9 1:7 (1:2 3,7)))",
        "a UID FETCH 1:* (FLAGS UID) (CHANGEDSINCE 7 VANISHED)",
        "a UID STORE 4 (UNCHANGEDSINCE 12) FLAGS (\\Seen)",
    ])
    func roundTrips(_ line: String) throws {
        let command = try IMAPCommandParser.parse(Array((line + "\r\n").utf8))
        var writer = IMAPWriter()
        writer.command(command)
        #expect(try IMAPCommandParser.parse(writer.bytes) == command)
    }

    @Test func responses() throws {
        #expect(written { $0.untagged(.vanished(earlier: true, SequenceSet(numbers: [41, 43, 44, 45]))) } == "VANISHED (EARLIER) 41,43:45")
        #expect(written { $0.untagged(.vanished(earlier: false, SequenceSet(numbers: [3]))) } == "VANISHED 3")
        #expect(written { $0.untagged(.searchModSeq([2, 5], 917162500)) } == "SEARCH 2 5 (MODSEQ 917162500)")
        #expect(written { $0.untagged(.fetch(4, [.uid(9), .modSeq(12121231000)])) } == "4 FETCH (UID 9 MODSEQ (12121231000))")
        #expect(written { $0.untagged(.status(.inbox, [StatusItem(.highestModSeq, UInt64(1_800_000_000_000_001))])) }
            == "STATUS INBOX (HIGHESTMODSEQ 1800000000000001)")
        #expect(written { $0.responseCode(.modified(SequenceSet(numbers: [7, 9]))) } == "[MODIFIED 7,9]")
        #expect(written { $0.responseCode(.highestModSeq(715194045007)) } == "[HIGHESTMODSEQ 715194045007]")
        #expect(written { $0.responseCode(.noModSeq) } == "[NOMODSEQ]")
    }
}
