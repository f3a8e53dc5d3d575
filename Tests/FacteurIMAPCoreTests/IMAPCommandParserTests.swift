import Testing
@testable import FacteurIMAPCore

private func parse(_ text: String) throws(IMAPParseError) -> TaggedCommand {
    try IMAPCommandParser.parse(Array(text.utf8))
}

struct IMAPCommandParserTests {
    struct Success: Sendable, CustomTestStringConvertible {
        let input: String
        let expected: Command
        var testDescription: String { input.debugDescription }
    }

    static let inbox = IMAPMailboxName.inbox
    static let successes: [Success] = [
        Success(input: "a CAPABILITY\r\n", expected: .capability),
        Success(input: "a noop\r\n", expected: .noop),
        Success(input: "a LOGOUT\r\n", expected: .logout),
        Success(input: "a STARTTLS\r\n", expected: .starttls),
        Success(input: "a AUTHENTICATE plain\r\n", expected: .authenticate(mechanism: "PLAIN", initialResponse: nil)),
        Success(input: "a AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==\r\n",
                expected: .authenticate(mechanism: "PLAIN", initialResponse: "AGFsaWNlAHNlY3JldA==")),
        Success(input: "a AUTHENTICATE PLAIN =\r\n", expected: .authenticate(mechanism: "PLAIN", initialResponse: "=")),
        Success(input: "a LOGIN alice secret\r\n", expected: .login(username: "alice", password: "secret")),
        Success(input: "a LOGIN \"al\\\"ice\" {3}\r\np\"w\r\n", expected: .login(username: "al\"ice", password: "p\"w")),
        Success(input: "a LOGIN alice \"pässword\"\r\n", expected: .login(username: "alice", password: "pässword")),
        Success(input: "a SELECT inbox\r\n", expected: .select(inbox)),
        Success(input: "a EXAMINE \"Sent Items\"\r\n", expected: .examine(IMAPMailboxName(wire: "Sent Items"))),
        Success(input: "a CREATE Archive/2024\r\n", expected: .create(IMAPMailboxName(wire: "Archive/2024"))),
        Success(input: "a DELETE Trash\r\n", expected: .delete(IMAPMailboxName(wire: "Trash"))),
        Success(input: "a RENAME old new\r\n", expected: .rename(from: IMAPMailboxName(wire: "old"), to: IMAPMailboxName(wire: "new"))),
        Success(input: "a SUBSCRIBE Lists\r\n", expected: .subscribe(IMAPMailboxName(wire: "Lists"))),
        Success(input: "a UNSUBSCRIBE Lists\r\n", expected: .unsubscribe(IMAPMailboxName(wire: "Lists"))),
        Success(input: "a LIST \"\" *\r\n", expected: .list(ListCommand(reference: "", patterns: ["*"]))),
        Success(input: "a LIST \"\" %/]x\r\n", expected: .list(ListCommand(reference: "", patterns: ["%/]x"]))),
        Success(input: "a LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (INBOX* \"Sent\") RETURN (CHILDREN SPECIAL-USE)\r\n",
                expected: .list(ListCommand(selectOptions: [.subscribed, .recursiveMatch], reference: "",
                                            patterns: ["INBOX*", "Sent"], returnOptions: [.children, .specialUse],
                                            isExtended: true))),
        Success(input: "a LIST (SPECIAL-USE) \"\" *\r\n",
                expected: .list(ListCommand(selectOptions: [.specialUse], reference: "", patterns: ["*"], isExtended: true))),
        Success(input: "a LSUB \"\" \"*\"\r\n", expected: .lsub(reference: "", pattern: "*")),
        Success(input: "a STATUS INBOX (MESSAGES UIDNEXT unseen)\r\n", expected: .status(inbox, [.messages, .uidNext, .unseen])),
        Success(input: "a APPEND INBOX {5+}\r\nhello\r\n", expected: .append(AppendCommand(mailbox: inbox, message: Array("hello".utf8)))),
        Success(input: "a APPEND INBOX (\\Seen $Forwarded) \" 7-Feb-1994 21:52:25 -0800\" {2}\r\nhi\r\n",
                expected: .append(AppendCommand(mailbox: inbox, flags: [.seen, Flag("$Forwarded")],
                                                internalDate: IMAPDateTime(year: 1994, month: 2, day: 7, hour: 21, minute: 52,
                                                                           second: 25, zoneMinutes: -480),
                                                message: Array("hi".utf8)))),
        Success(input: "a APPEND INBOX () {2}\r\nhi\r\n", expected: .append(AppendCommand(mailbox: inbox, message: Array("hi".utf8)))),
        Success(input: "a IDLE\r\n", expected: .idle),
        Success(input: "a NAMESPACE\r\n", expected: .namespace),
        Success(input: "a ID NIL\r\n", expected: .id(nil)),
        Success(input: "a ID (\"name\" \"Thunderbird\" \"version\" NIL)\r\n",
                expected: .id([IDParameter(key: "name", value: "Thunderbird"), IDParameter(key: "version", value: nil)])),
        Success(input: "a ENABLE UTF8=ACCEPT condstore\r\n", expected: .enable(["UTF8=ACCEPT", "CONDSTORE"])),
        Success(input: "a CHECK\r\n", expected: .check),
        Success(input: "a CLOSE\r\n", expected: .close),
        Success(input: "a UNSELECT\r\n", expected: .unselect),
        Success(input: "a EXPUNGE\r\n", expected: .expunge),
        Success(input: "a UID EXPUNGE 3:5,7\r\n", expected: .uidExpunge(SequenceSet([SequenceRange(.number(3), .number(5)), SequenceRange(.number(7))]))),
        Success(input: "a SEARCH UNSEEN\r\n", expected: .search(charset: nil, key: .unseen, uid: false)),
        Success(input: "a UID SEARCH CHARSET UTF-8 FROM \"Zoë\" SINCE 1-Feb-1994\r\n",
                expected: .search(charset: "UTF-8", key: .and([.from("Zoë"), .since(IMAPDate(year: 1994, month: 2, day: 1)!)]), uid: true)),
        Success(input: "a FETCH 1:* FAST\r\n", expected: .fetch(.all, FetchAttribute.macroFast, uid: false)),
        Success(input: "a FETCH 2 ALL\r\n", expected: .fetch(SequenceSet([SequenceRange(.number(2))]), FetchAttribute.macroAll, uid: false)),
        Success(input: "a FETCH 2 full\r\n", expected: .fetch(SequenceSet([SequenceRange(.number(2))]), FetchAttribute.macroFull, uid: false)),
        Success(input: "a UID FETCH 1:* (FLAGS)\r\n", expected: .fetch(.all, [.flags, .uid], uid: true)),
        Success(input: "a FETCH 1 BODY.PEEK[1.2.HEADER.FIELDS (From To)]<0.100>\r\n",
                expected: .fetch(SequenceSet([SequenceRange(.number(1))]),
                                 [.bodySection(peek: true, section: SectionSpec(part: [1, 2], text: .headerFields(["From", "To"])), partial: 0...99)],
                                 uid: false)),
        Success(input: "a STORE 1:3 +FLAGS.SILENT (\\Deleted)\r\n",
                expected: .store(SequenceSet([SequenceRange(.number(1), .number(3))]), StoreAction(mode: .add, silent: true, flags: [.deleted]), uid: false)),
        Success(input: "a UID STORE 5 -FLAGS \\Seen \\flagged\r\n",
                expected: .store(SequenceSet([SequenceRange(.number(5))]), StoreAction(mode: .remove, silent: false, flags: [.seen, .flagged]), uid: true)),
        Success(input: "a STORE 1 FLAGS ()\r\n",
                expected: .store(SequenceSet([SequenceRange(.number(1))]), StoreAction(mode: .replace, silent: false, flags: []), uid: false)),
        Success(input: "a COPY 1:2 Archive\r\n", expected: .copy(SequenceSet([SequenceRange(.number(1), .number(2))]), IMAPMailboxName(wire: "Archive"), uid: false)),
        Success(input: "a UID COPY 1 Archive\r\n", expected: .copy(SequenceSet([SequenceRange(.number(1))]), IMAPMailboxName(wire: "Archive"), uid: true)),
        Success(input: "a MOVE * Trash\r\n", expected: .move(SequenceSet([SequenceRange(.last)]), IMAPMailboxName(wire: "Trash"), uid: false)),
        Success(input: "a UID MOVE 4:2 Trash\n", expected: .move(SequenceSet([SequenceRange(.number(4), .number(2))]), IMAPMailboxName(wire: "Trash"), uid: true)),
    ]

    @Test(arguments: successes)
    func parses(_ fixture: Success) throws {
        let command = try parse(fixture.input)
        #expect(command.tag == "a")
        #expect(command.command == fixture.expected)
    }

    /// parse → encode → parse gives the same command.
    @Test(arguments: successes)
    func roundTrips(_ fixture: Success) throws {
        let command = try parse(fixture.input)
        var writer = IMAPWriter()
        writer.command(command)
        let again = try IMAPCommandParser.parse(writer.bytes)
        #expect(again == command, "\(writer.bytes.text)")
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        let input: String
        let reason: String
        let tag: String?
        var testDescription: String { input.debugDescription }
    }

    static let failures: [Failure] = [
        Failure(input: "\r\n", reason: "Empty command line", tag: nil),
        Failure(input: "+ NOOP\r\n", reason: "Expected a tag", tag: nil),
        Failure(input: "a\r\n", reason: "Expected a space", tag: "a"),
        Failure(input: "a FROB\r\n", reason: "Unknown command FROB", tag: "a"),
        Failure(input: "a NOOP extra\r\n", reason: "Unexpected characters at end of command", tag: "a"),
        Failure(input: "a LOGIN alice\r\n", reason: "Expected a space", tag: "a"),
        Failure(input: "a LOGIN \"alice secret\r\n", reason: "Unterminated quoted string", tag: "a"),
        Failure(input: "a LOGIN \"a\\x\" b\r\n", reason: "Invalid escape in quoted string", tag: "a"),
        Failure(input: "a LOGIN {10}\r\nabc\r\n", reason: "Literal shorter than announced", tag: "a"),
        Failure(input: "a SELECT\r\n", reason: "Expected a space", tag: "a"),
        Failure(input: "a FETCH 0 FLAGS\r\n", reason: "Expected a message number, got 0", tag: "a"),
        Failure(input: "a FETCH 1 (FLAGS BOGUS)\r\n", reason: "Unknown fetch attribute BOGUS", tag: "a"),
        Failure(input: "a FETCH 1 ()\r\n", reason: "Empty list", tag: "a"),
        Failure(input: "a FETCH 1 BODY[MIME]\r\n", reason: "MIME needs a part number", tag: "a"),
        Failure(input: "a FETCH 1 BODY.PEEK\r\n", reason: "BODY.PEEK needs a section", tag: "a"),
        Failure(input: "a FETCH 1 BODY[1]<5.0>\r\n", reason: "Expected a partial length, got 0", tag: "a"),
        Failure(input: "a FETCH 99999999999 FLAGS\r\n", reason: "Number too large", tag: "a"),
        Failure(input: "a STORE 1 FLAGZ (\\Seen)\r\n", reason: "Expected FLAGS or FLAGS.SILENT", tag: "a"),
        Failure(input: "a SEARCH\r\n", reason: "Expected a space", tag: "a"),
        Failure(input: "a SEARCH FOO\r\n", reason: "Unknown search key FOO", tag: "a"),
        Failure(input: "a SEARCH BEFORE 32-Jan-2020\r\n", reason: "Invalid date", tag: "a"),
        Failure(input: "a SEARCH OR SEEN\r\n", reason: "Expected a space", tag: "a"),
        Failure(input: "a STATUS INBOX (MESSAGES BOGUS)\r\n", reason: "Unknown status attribute BOGUS", tag: "a"),
        Failure(input: "a UID FROB 1\r\n", reason: "Unknown UID command FROB", tag: "a"),
        Failure(input: "a APPEND INBOX hello\r\n", reason: "Expected the message literal", tag: "a"),
        Failure(input: "a APPEND INBOX \"31-Feb-2020 00:00:00 +0000\" {1}\r\nx\r\n", reason: "Invalid date-time", tag: "a"),
        Failure(input: "a LIST (RECURSIVEMATCH) \"\" *\r\n", reason: "RECURSIVEMATCH needs another selection option", tag: "a"),
        Failure(input: "a LIST (BOGUS) \"\" *\r\n", reason: "Unknown LIST selection option BOGUS", tag: "a"),
        Failure(input: "a LOGIN {3}\r\na\0b c\r\n", reason: "NUL octet in literal", tag: "a"),
    ]

    @Test(arguments: failures)
    func refuses(_ fixture: Failure) {
        do {
            let command = try parse(fixture.input)
            Issue.record("parsed \(command)")
        } catch {
            #expect(error.reason == fixture.reason)
            #expect(error.tag == fixture.tag)
            #expect(error.kind == .syntax)
        }
    }

    @Test func unsupportedCharsetIsNotASyntaxError() {
        do {
            _ = try parse("a SEARCH CHARSET KOI8-R TEXT x\r\n")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .unsupportedCharset("KOI8-R"))
        }
    }

    @Test func deeplyNestedSearchIsBounded() {
        let nested = String(repeating: "NOT ", count: 100) + "SEEN"
        #expect(throws: IMAPParseError.self) { try parse("a SEARCH \(nested)\r\n") }
        let parens = String(repeating: "(", count: 100) + "SEEN" + String(repeating: ")", count: 100)
        #expect(throws: IMAPParseError.self) { try parse("a SEARCH \(parens)\r\n") }
    }

    @Test func appendPrefixAndTail() throws {
        let prefix = try IMAPCommandParser.parseAppendPrefix(Array("A7 APPEND \"Sent\" (\\Seen) {310}\r\n".utf8))
        #expect(prefix == AppendPrefix(tag: "A7", mailbox: IMAPMailboxName(wire: "Sent"), flags: [.seen], internalDate: nil, literalSize: 310))
        try IMAPCommandParser.parseAppendTail([13, 10], tag: "A7")
        #expect(throws: IMAPParseError.self) { try IMAPCommandParser.parseAppendTail(Array(" INBOX {3}\r\n".utf8), tag: "A7") }
    }

    @Test func idleDoneAndSASLResponses() throws {
        #expect(IMAPCommandParser.isIdleDone(Array("done\r\n".utf8)))
        #expect(!IMAPCommandParser.isIdleDone(Array("DONE now\r\n".utf8)))
        #expect(try IMAPCommandParser.parseAuthenticationResponse(Array("AGFsaWNlAHNlY3JldA==\r\n".utf8)) == Array("\0alice\0secret".utf8))
        #expect(try IMAPCommandParser.parseAuthenticationResponse(Array("*\r\n".utf8)) == nil)
        #expect(try IMAPCommandParser.parseAuthenticationResponse(Array("\r\n".utf8)) == [])
        #expect(throws: IMAPParseError.self) { try IMAPCommandParser.parseAuthenticationResponse(Array("not base64!\r\n".utf8)) }
    }

    @Test func uidFetchAlwaysIncludesUID() throws {
        guard case .fetch(_, let attributes, true) = try parse("a UID FETCH 1 FLAGS\r\n").command else {
            Issue.record("not a UID FETCH"); return
        }
        #expect(attributes == [.flags, .uid])
    }
}
