import Foundation
import FacteurCore
import Testing
@testable import FacteurConsole

@Suite struct ConsoleControllerTests {
    typealias F = Fixtures

    /// Presses keys in order, collecting every effect.
    @discardableResult
    func press(_ keys: [Key], _ s: inout ConsoleState, model: ConsoleModel = Fixtures.model) -> [ConsoleEffect] {
        keys.flatMap { s.handle($0, model: model, now: F.now) }
    }

    func type(_ text: String) -> [Key] { text.map { Key.char($0) } }

    @Test func numberKeysTabAndShiftTabSwitchPanels() {
        var s = ConsoleState()
        #expect(press([.char("4")], &s) == [.load(.bans)])
        #expect(s.panel == .blacklist)
        press([.tab], &s)
        #expect(s.panel == .mailboxes)
        press([.backTab, .backTab], &s)
        #expect(s.panel == .rejections)
        press([.char("6")], &s)
        #expect(s.router == .loading)
    }

    @Test func quitAsksFirstAndSaysTheServerStops() {
        var s = ConsoleState()
        #expect(press([.char("q")], &s).isEmpty)
        guard case let .confirm(c) = s.mode else { Issue.record("no confirmation"); return }
        #expect(c.question.contains("server stops too"))
        #expect(press([.char("n")], &s).isEmpty)
        #expect(s.mode == .normal)
        #expect(press([.interrupt, .char("y")], &s) == [.quit])
    }

    @Test func ctrlCAlwaysLeadsToTheQuitQuestion() {
        for opening in [[Key.char("?")], [.char("/")], [.char("5"), .char("a")], [.char("q")]] {
            var s = ConsoleState(); s.panel = .log
            press(opening + [.interrupt, .interrupt], &s)
            #expect(s.mode == .confirm(Confirmation(question: "Quit Facteur? The mail server stops too: open connections are closed. (d detaches instead: the server keeps running.)", onYes: .quit)))
        }
    }

    @Test func attachedConsoleQuitsWithoutAQuestionAndDetachLeavesTheServer() {
        var attached = Fixtures.model
        attached.attachment = ConsoleAttachment(mode: .attached, pid: 7, started: Fixtures.now)
        var s = ConsoleState()
        #expect(s.handle(.char("q"), model: attached, now: Fixtures.now) == [.quit])
        #expect(s.mode == .normal)
        var e = ConsoleState()
        var embedded = attached
        embedded.attachment?.mode = .embedded
        #expect(e.handle(.char("d"), model: embedded, now: Fixtures.now) == [.detach])
        #expect(e.handle(.char("q"), model: embedded, now: Fixtures.now).isEmpty)
        guard case .confirm = e.mode else { Issue.record("quitting an embedded server is not confirmed"); return }
    }

    @Test func closingAConnectionIsConfirmed() {
        var s = ConsoleState()
        press([.char("2")], &s)
        // Sorted by age: #1 (65 s) first, then #2.
        #expect(press([.char("j"), .char("x")], &s).isEmpty)
        guard case let .confirm(c) = s.mode else { Issue.record("no confirmation"); return }
        #expect(c.question.contains("#2 from 2001:db8::beef"))
        #expect(press([.char("y")], &s) == [.perform(.closeConnection(ConnectionID(2)))])
        #expect(s.status == .init("Working…", .info))
    }

    @Test func banningARejectedAddressPrefillsTheForm() {
        var s = ConsoleState()
        press([.char("3"), .down, .char("b")], &s)
        guard case let .form(f) = s.mode else { Issue.record("no form"); return }
        #expect(f.fields[0].value == "198.51.100.23")
        #expect(f.fields[2].value == "relay: relay access denied")
        #expect(f.focus == 1)
        // Duration field: replace "1d" by "2h", then Enter twice (to reason, then done).
        press([.backspace, .backspace] + type("2h") + [.enter, .enter], &s)
        guard case let .confirm(c) = s.mode else { Issue.record("no confirmation"); return }
        #expect(c.question == "Ban 198.51.100.23 for 2h00m (relay: relay access denied)?")
        #expect(press([.char("y")], &s) == [.perform(.ban(network: "198.51.100.23", duration: 7200, reason: "relay: relay access denied"))])
    }

    @Test func badFormInputShowsAnErrorAndStaysOpen() {
        var s = ConsoleState(); s.panel = .blacklist
        press([.char("b")] + type("not-an-ip") + [.enter, .enter, .enter], &s)
        guard case let .form(f) = s.mode else { Issue.record("form closed"); return }
        #expect(f.error == "Not an IP address or network: not-an-ip")
        press([.escape], &s)
        #expect(s.mode == .normal)
        #expect(s.status == .init("Cancelled.", .info))
    }

    @Test func blacklistActionsAreConfirmed() {
        var s = ConsoleState()
        press([.char("4")], &s)
        // Sorted by expiry: 192.0.2.66/32 first, the permanent one last.
        press([.char("u")], &s)
        #expect(s.mode == .confirm(Confirmation(question: "Lift the ban on 192.0.2.66/32 (10 failed logins)?",
                                                onYes: .command(.unban(network: "192.0.2.66/32")))))
        press([.escape], &s)
        press([.char("p"), .char("y")], &s)
        #expect(s.status == .init("Working…", .info))
        press([.char("e")], &s)
        guard case let .form(f) = s.mode else { Issue.record("no form"); return }
        #expect(f.purpose == .extendBan(network: "192.0.2.66/32"))
        #expect(press([.enter, .char("y")], &s) == [.perform(.extendBan(network: "192.0.2.66/32", by: 86_400))])
        // The permanent ban cannot be extended or made permanent.
        press([.end, .char("p")], &s)
        #expect(s.mode == .normal)
        #expect(s.status?.text == "198.51.100.0/24 is banned permanently already.")
    }

    @Test func addUserNeedsTwoEqualPasswords() {
        var s = ConsoleState(); s.panel = .mailboxes
        press([.char("a")] + type("zoé@example.fr") + [.enter] + type("abc") + [.enter] + type("abd") + [.enter], &s)
        guard case let .form(f) = s.mode else { Issue.record("form closed"); return }
        #expect(f.error == "The two passwords differ")
        #expect(f.fields[1].value.isEmpty && f.fields[2].value.isEmpty)
        #expect(f.focus == 1)
        press(type("abc") + [.enter] + type("abc") + [.enter], &s)
        #expect(press([.char("y")], &s) == [.perform(.addUser(address: "zoé@example.fr", password: "abc"))])
    }

    @Test func deletingAUserShowsWhatHappensToTheMail() {
        var s = ConsoleState(); s.panel = .mailboxes
        var model = F.model
        s.mailbox.users = .loaded([MailboxUserSummary(address: "bob@example.com", folders: 1, messages: 2, unread: 0, size: 10)])
        #expect(press([.char("D")], &s) == [.load(.deletionNotice(user: "bob@example.com"))])
        _ = s.receive(.deletionNotice(user: "bob@example.com", "Their mail is kept 30 days in /var/lib/facteur/deleted."), model: &model)
        guard case let .confirm(c) = s.mode else { Issue.record("no confirmation"); return }
        #expect(c.question == "Delete the user bob@example.com? Their mail is kept 30 days in /var/lib/facteur/deleted.")
        #expect(press([.char("y")], &s) == [.perform(.deleteUser(address: "bob@example.com"))])
        let after = s.receive(.performed(.deleteUser(address: "bob@example.com"), .success("Deleted bob@example.com.")), model: &model)
        #expect(after == [.load(.mailboxUsers)])
        #expect(s.status == .init("Deleted bob@example.com.", .ok))
    }

    @Test func mailboxNavigationLoadsEachLevelAndEscGoesBack() {
        var s = ConsoleState()
        var model = F.model
        #expect(press([.char("5")], &s) == [.load(.mailboxUsers)])
        _ = s.receive(.mailboxUsers(.success([MailboxUserSummary(address: "alice@example.com", folders: 1, messages: 1, unread: 1, size: 1)])), model: &model)
        #expect(press([.enter], &s) == [.load(.folders(user: "alice@example.com"))])
        _ = s.receive(.folders(user: "alice@example.com", .success([FolderSummary(name: "INBOX", messages: 1, unread: 1, size: 1)])), model: &model)
        #expect(press([.enter], &s) == [.load(.messages(user: "alice@example.com", folder: "INBOX"))])
        _ = s.receive(.messages(user: "alice@example.com", folder: "INBOX",
                                .success([MessageSummary(id: "m1", date: nil, from: "x", subject: "y", size: 1, flags: [])])), model: &model)
        #expect(press([.enter], &s) == [.load(.message(user: "alice@example.com", folder: "INBOX", id: "m1"))])
        #expect(s.mailbox.level == .message(user: "alice@example.com", folder: "INBOX", id: "m1"))
        press([.escape, .escape], &s)
        #expect(s.mailbox.level == .folders(user: "alice@example.com"))
        #expect(press([.escape], &s) == [.load(.mailboxUsers)])
        #expect(s.mailbox.level == .users)
    }

    @Test func lateAnswersForALevelThatWasLeftAreIgnored() {
        var s = ConsoleState(); s.panel = .mailboxes
        var model = F.model
        _ = s.receive(.folders(user: "ghost@example.com", .success([FolderSummary(name: "INBOX", messages: 1, unread: 0, size: 1)])), model: &model)
        #expect(s.mailbox.folders == .idle)
    }

    @Test func filterTypingAndEscape() {
        var s = ConsoleState(); s.panel = .log
        press([.char("/")] + type("tls"), &s)
        #expect(s.cursor(.log).filter == "tls")
        press([.backspace, .enter], &s)
        #expect(s.cursor(.log).filter == "tl")
        #expect(s.mode == .normal)
        // Esc outside the filter prompt clears it too.
        press([.escape], &s)
        #expect(s.cursor(.log).filter == "")
    }

    @Test func navigationIsClamped() {
        var s = ConsoleState(); s.panel = .rejections
        press([.end], &s)
        #expect(s.cursor(.rejections).selected == 1)
        press([.down, .down], &s)
        #expect(s.cursor(.rejections).selected == 1)
        press([.home, .up], &s)
        #expect(s.cursor(.rejections).selected == 0)
        press([.pageDown], &s)
        #expect(s.cursor(.rejections).selected == 1)
    }

    @Test func sortCyclesThroughColumns() {
        var s = ConsoleState(); s.panel = .rejections
        press([.char("s")], &s)
        let lines = F.screen(F.model, s)
        // Second sort: repeat count, largest first.
        #expect(lines[2].hasSuffix("×▾"))
        #expect(lines[3].hasPrefix("09:59:40 198.51.100.23"))
    }

    @Test func completedBanActionsReloadTheBanList() {
        var s = ConsoleState()
        var model = F.model
        let effects = s.receive(.performed(.unban(network: "192.0.2.66/32"), .failure("not banned")), model: &model)
        #expect(effects == [.load(.bans)])
        #expect(s.status == .init("not banned", .error))
        _ = s.receive(.bans([]), model: &model)
        #expect(model.bans.isEmpty)
    }

    @Test func helpOpensAndAnyKeyCloses() {
        var s = ConsoleState()
        press([.char("?")], &s)
        #expect(s.mode == .help)
        press([.down], &s)
        #expect(s.mode == .help)
        #expect(press([.char("q")], &s).isEmpty)
        #expect(s.mode == .normal)
    }

    @Test func selectionStaysOnItsRowWhenNewRowsArrive() {
        var s = ConsoleState(); s.panel = .rejections
        var model = F.model
        press([.down], &s, model: model)   // 198.51.100.23
        model.apply(F.event(.rejected(F.rejection("192.0.2.200", rule: "size", reason: "too big"))))
        press([.char("b")], &s, model: model)
        guard case let .form(f) = s.mode else { Issue.record("no form"); return }
        #expect(f.fields[0].value == "198.51.100.23")
        // And it is the row drawn as selected.
        let frame = ConsoleScreen.render(model: model, state: ConsoleState(panel: .rejections, from: s), now: F.now, rows: 24, columns: 80)
        #expect(frame[5].segments.allSatisfy { $0.role == .selected })
        #expect(frame[5].text.hasPrefix("09:59:40 198.51.100.23"))
    }
}

extension ConsoleState {
    /// The same cursors in normal mode (to render a list behind a dialog).
    init(panel: Panel, from other: ConsoleState) {
        self = other
        self.panel = panel
        self.mode = .normal
    }
}
