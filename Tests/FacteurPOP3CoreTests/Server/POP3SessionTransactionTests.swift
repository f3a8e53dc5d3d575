import FacteurTestSupport
import Testing
@testable import FacteurPOP3Core

@Suite struct POP3SessionTransactionTests {
    @Test func deletedMessagesAreHiddenAndRefused() {
        var session = loggedInSession()
        #expect(session.replies(["DELE 1", "DELE 1", "RETR 1", "TOP 1 0", "LIST 1", "UIDL 1", "STAT", "LIST", "UIDL"]) == [
            "+OK message 1 deleted",
            "-ERR message 1 already deleted",
            "-ERR message 1 already deleted",
            "-ERR message 1 already deleted",
            "-ERR message 1 already deleted",
            "-ERR message 1 already deleted",
            "+OK 1 200",
            "+OK 1 messages (200 octets)|2 200|.",
            "+OK unique-id listing follows|2 u2|.",
        ])
    }

    @Test func rsetUnmarksEverything() {
        var session = loggedInSession()
        #expect(session.replies(["DELE 1", "DELE 2", "STAT", "RSET", "STAT", "RETR 2"]).prefix(5) == [
            "+OK message 1 deleted", "+OK message 2 deleted", "+OK 0 0",
            "+OK maildrop has 2 messages (300 octets)", "+OK 2 300"])
    }

    @Test func quitCommitsDeletionsInUpdateOnly() {
        var session = loggedInSession()
        _ = session.send("DELE 2")
        _ = session.send("DELE 1")
        #expect(session.send("QUIT") == [.commitDeletions(["u1", "u2"])])
        #expect(session.stateName == "UPDATE")
        #expect(session.commitResult(success: true)
                == [.reply("+OK mail.example.com POP3 server signing off (2 messages deleted)"), .close])
        #expect(session.stateName == "CLOSED")
        #expect(session.commitResult(success: true) == [])
    }

    @Test func failedCommitIsReported() {
        var session = loggedInSession()
        _ = session.send("DELE 1")
        _ = session.send("QUIT")
        #expect(session.commitResult(success: false) == [.reply("-ERR [SYS/TEMP] some deleted messages not removed"), .close])
    }

    @Test func quitWithoutDeletionsCommitsNothing() {
        var session = loggedInSession()
        _ = session.send("DELE 1")
        _ = session.send("RSET")
        #expect(session.send("QUIT") == [.reply("+OK mail.example.com POP3 server signing off"), .close])
    }

    /// A connection that drops after DELE never asked for a deletion: no action but QUIT's
    /// can produce `.commitDeletions`, and `commitResult` outside UPDATE does nothing.
    @Test func droppedConnectionDeletesNothing() {
        var session = loggedInSession()
        var all: [POP3Action] = []
        for line in ["DELE 1", "DELE 2", "STAT", "NOOP", "LIST"] { all += session.send(line) }
        #expect(!all.contains { if case .commitDeletions = $0 { true } else { false } })
        #expect(session.commitResult(success: true) == [])
        #expect(session.stateName == "TRANSACTION")
        // Quitting from AUTHORIZATION never commits either.
        var early = makeSession()
        #expect(!early.send("QUIT").contains { if case .commitDeletions = $0 { true } else { false } })
    }

    @Test func emptyMaildrop() {
        var session = loggedInSession([])
        #expect(session.replies(["STAT", "LIST", "UIDL", "RETR 1"]) == [
            "+OK 0 0", "+OK 0 messages (0 octets)|.", "+OK unique-id listing follows|.", "-ERR no such message"])
    }

    @Test func topWithHugeLineCountSaturates() {
        var session = loggedInSession()
        #expect(session.send("TOP 1 99999999999999999999999") == [.sendMessage(twoMessages[0], topLines: Int.max)])
    }
}

@Suite struct POP3SessionPipeliningTests {
    /// RFC 2449 §6.6: the client may send several commands without waiting; the session answers
    /// them in order.
    @Test func pipelinedTransactionCommandsAnswerInOrder() {
        var session = loggedInSession()
        let lines = ["STAT", "LIST", "RETR 1", "DELE 1", "RETR 2", "QUIT", "NOOP"]
        var actions: [POP3Action] = []
        for line in lines { actions += session.send(line) }
        #expect(actions == [
            .reply("+OK 2 300"),
            .replyMultiline("+OK 2 messages (300 octets)", ["1 100", "2 200"]),
            .sendMessage(twoMessages[0], topLines: nil),
            .reply("+OK message 1 deleted"),
            .sendMessage(twoMessages[1], topLines: nil),
            .commitDeletions(["u1"]),
            // NOOP after QUIT is dropped.
        ])
    }

    @Test func commandsPipelinedBehindPassWaitForTheVerdict() {
        var session = makeSession()
        #expect(session.send("USER alice") == [.reply("+OK send PASS")])
        #expect(session.send("PASS secret") == [.authenticate(user: "alice", password: "secret".bytes)])
        #expect(session.send("STAT") == [])
        #expect(session.send("UIDL 2") == [])
        #expect(session.authResult(success: true, maildrop: twoMessages, inUse: false) == [
            .loginSucceeded(user: "alice"),
            .reply("+OK maildrop has 2 messages (300 octets)"),
            .reply("+OK 2 300"),
            .reply("+OK 2 u2"),
        ])
    }

    @Test func queuedCommandsAfterFailedLoginAreRefused() {
        var session = makeSession()
        _ = session.send("USER alice")
        _ = session.send("PASS wrong")
        _ = session.send("STAT")
        let actions = session.authResult(success: false, maildrop: nil, inUse: false)
        #expect(actions.suffix(2) == [.reply("-ERR [AUTH] invalid user name or password"),
                                      .reply("-ERR STAT not valid before login")])
    }

    @Test func queuedSecondLoginStartsANewVerification() {
        var session = makeSession()
        _ = session.send("USER alice")
        _ = session.send("PASS wrong")
        _ = session.send("USER alice")
        _ = session.send("PASS right")
        _ = session.send("STAT")
        let first = session.authResult(success: false, maildrop: nil, inUse: false)
        #expect(first.suffix(2) == [.reply("+OK send PASS"), .authenticate(user: "alice", password: "right".bytes)])
        #expect(session.authResult(success: true, maildrop: twoMessages, inUse: false).suffix(1) == [.reply("+OK 2 300")])
    }

    @Test func tooManyQueuedLinesCloses() {
        var session = makeSession(limits: POP3Limits(pipelinedLinesWhileVerifying: 2))
        _ = session.send("USER alice"); _ = session.send("PASS x")
        #expect(session.send("NOOP") == [])
        #expect(session.send("NOOP") == [])
        #expect(session.send("NOOP") == [.reply("-ERR too many pipelined commands"), .close])
        #expect(session.authResult(success: true, maildrop: [], inUse: false) == [])
    }
}

@Suite struct POP3SessionLimitTests {
    @Test func badCommandsCloseAtTheLimit() {
        var session = makeSession(limits: POP3Limits(badCommands: 3))
        #expect(session.send("FOO") == [.reply("-ERR unknown command")])
        #expect(session.send("STAT") == [.reply("-ERR STAT not valid before login")])
        #expect(session.send("BAR") == [.reply("-ERR too many bad commands, closing connection"), .close])
        #expect(session.send("CAPA") == [])
    }

    @Test func overlongLines() {
        var session = loggedInSession(limits: POP3Limits(commandLineLength: 12))
        #expect(session.send("RETR 0000000001") == [.reply(POP3Replies.lineTooLong)])
        #expect(session.receiveOverflow() == [.reply(POP3Replies.lineTooLong)])
        #expect(session.send("RETR 1") == [.sendMessage(twoMessages[0], topLines: nil)])
        #expect(session.badCommands == 2)
    }

    @Test func overflowWhileVerifyingOrStartingTLSCloses() {
        var verifying = makeSession()
        _ = verifying.send("USER a"); _ = verifying.send("PASS b")
        #expect(verifying.receiveOverflow() == [.close])
        var starting = makeSession(tls: false)
        _ = starting.send("STLS")
        #expect(starting.receiveOverflow() == [.close])
    }

    @Test func controlCharactersAndEmptyLines() {
        var session = makeSession()
        #expect(session.send("") == [.reply("-ERR empty command")])
        #expect(session.receive(line: [0x55, 0x53, 0x45, 0x52, 0x20, 0x00, 0x61]) == [.reply("-ERR invalid characters in command")])
        #expect(session.receive(line: [0xFF, 0xFE]) == [.reply("-ERR unknown command")])
    }
}
