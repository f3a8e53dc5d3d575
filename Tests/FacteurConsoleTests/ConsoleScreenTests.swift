import Foundation
import FacteurCore
import Testing
@testable import FacteurConsole

@Suite struct ConsoleScreenTests {
    typealias F = Fixtures

    static let sizes: [(rows: Int, columns: Int)] = [(24, 80), (40, 120), (30, 100), (60, 200)]

    /// Every panel, every mode, fills every size exactly: right row count, every row as wide as the screen.
    @Test func everyFrameFillsTheScreenExactly() {
        let model = F.model
        var states: [ConsoleState] = []
        for p in Panel.allCases {
            var s = ConsoleState(); s.panel = p; states.append(s)
            s.mode = .help; states.append(s)
        }
        var s = ConsoleState(); s.panel = .blacklist; s.mode = .form(.addBan(address: "192.0.2.9")); states.append(s)
        s.mode = .confirm(Confirmation(question: "Quit Facteur? The mail server stops too.", onYes: .quit)); states.append(s)
        for st in states {
            for size in Self.sizes {
                let lines = ConsoleScreen.render(model: model, state: st, now: F.now, rows: size.rows, columns: size.columns)
                #expect(lines.count == size.rows)
                for l in lines { #expect(l.width == size.columns, "\(st.panel) \(size): “\(l.text)”") }
            }
        }
    }

    @Test func tabBarShortensAt80Columns() {
        let narrow = F.screen(F.model, ConsoleState())[0]
        let wide = F.screen(F.model, ConsoleState(), rows: 40, columns: 120)[0]
        #expect(narrow == " Facteur  1 Over  2 Conn  3 Rej  4 Bans  5 Mail  6 Rtr  7 Log      10:00:00 UTC ")
        #expect(wide.hasPrefix(" Facteur  1 Overview  2 Connections  3 Rejections  4 Blacklist  5 Mailboxes  6 Router  7 Log "))
        #expect(wide.hasSuffix(" 10:00:00 UTC "))
    }

    @Test func overviewShowsServicesCountersAndHistory() {
        let lines = F.screen(F.model, ConsoleState())
        #expect(lines[1].hasPrefix(" Overview   up 3h02m  since 2026-11-29 06:57 UTC"))
        #expect(lines.contains { $0.hasPrefix("  POP3  0.0.0.0:995                  FAILED: address already in use") })
        #expect(lines.contains { $0.hasPrefix("  IMAP  0.0.0.0:993             TLS  listening") })
        #expect(lines.contains { $0.hasPrefix("  Deliveries 0   Rejections 3   Auth failures 0   Bans 2 active, 0 new") })
        let conn = lines.first { $0.hasPrefix("  Connections ·") } ?? ""
        #expect(conn.hasSuffix("██· max 1  "))
    }

    @Test func connectionsAt80Columns() {
        var s = ConsoleState(); s.panel = .connections
        let lines = F.screen(F.model, s)
        #expect(lines[1].hasPrefix(" Connections  2 of 2 open"))
        #expect(lines[2] == "Proto Remote             Cc User          State        Time▾        In       Out")
        #expect(lines[3] == "SMTP  192.0.2.7          FR bénédicte@ex… DATA         1m05s   2.0 KiB     300 B")
        #expect(lines[4] == "IMAP  2001:db8::beef     --               connected       5s       0 B       0 B")
    }

    @Test func connectionsAt120ColumnsDoNotTruncateTheUser() {
        var s = ConsoleState(); s.panel = .connections
        let lines = F.screen(F.model, s, rows: 40, columns: 120)
        #expect(lines[3].contains("bénédicte@exemple.fr"))
        #expect(lines[3].hasSuffix("1m05s   2.0 KiB     300 B"))
    }

    @Test func rejectionsNewestFirstWithRepeatCounts() {
        var s = ConsoleState(); s.panel = .rejections
        let lines = F.screen(F.model, s)
        #expect(lines[3] == "09:59:50 203.0.113.5         -- SMTP  auth       bad password     spam@bad…    1")
        #expect(lines[4] == "09:59:40 198.51.100.23       -- SMTP  relay      relay access de… spam@bad…    2")
    }

    @Test func blacklistCountsDownWithNow() {
        var s = ConsoleState(); s.panel = .blacklist
        let first = F.screen(F.model, s)
        #expect(first[3] == "192.0.2.66/32         10 failed logins auto     1h02m05s 2026-11-29 11:02     14")
        #expect(first[4] == "198.51.100.0/24       spam wave        manual  permanent never               230")
        let later = F.screen(F.model, s, at: F.now.addingTimeInterval(3700))
        #expect(later[3] == "192.0.2.66/32         10 failed logins auto          25s 2026-11-29 11:02     14")
        let wide = F.screen(F.model, s, rows: 40, columns: 120, at: F.now.addingTimeInterval(61))
        #expect(wide[3].hasPrefix("192.0.2.66/32 "))
        #expect(wide[3].hasSuffix("auto     1h01m04s 2026-11-29 11:02     14"))
    }

    @Test func wideCharactersAreTruncatedByColumns() {
        var s = ConsoleState(); s.panel = .mailboxes
        s.mailbox.stack = [.users, .folders(user: "山田太郎@example.jp"), .messages(user: "山田太郎@example.jp", folder: "INBOX")]
        s.mailbox.messages = .loaded([
            MessageSummary(id: "1", date: F.now, from: "山田太郎 <taro@example.jp>",
                           subject: "会議の資料について（確認のお願い）とても長い件名です", size: 120_000, flags: ["\\Seen"]),
        ])
        for size in Self.sizes {
            let lines = F.screen(F.model, s, rows: size.rows, columns: size.columns)
            #expect(lines[3].hasSuffix("117.2 KiB      "))
            #expect(DisplayWidth.width(of: lines[3]) == size.columns)
        }
        let narrow = F.screen(F.model, s)
        #expect(narrow[1].hasPrefix(" 山田太郎@example.jp › INBOX "))
        #expect(narrow[3] == "2026-11-29 10:00 山田太郎 <taro@exam… 会議の資料について（確認…  117.2 KiB      ")
    }

    @Test func mailboxUsersShowTotals() {
        var s = ConsoleState(); s.panel = .mailboxes
        s.mailbox.users = .loaded([
            MailboxUserSummary(address: "alice@example.com", folders: 4, messages: 1234, unread: 12, size: 48_000_000),
            MailboxUserSummary(address: "bénédicte@exemple.fr", folders: 2, messages: 87, unread: 0, size: 3_200_000),
        ])
        let lines = F.screen(F.model, s)
        #expect(lines[3].hasPrefix("alice@example.com "))
        #expect(lines[3].contains("4      1234      12 ") && lines[3].hasSuffix(" 45.8 MiB"))
        #expect(lines[22].hasPrefix("Total (2) "))
        #expect(lines[22].contains("6      1321      12 ") && lines[22].hasSuffix(" 48.8 MiB"))
    }

    @Test func quotasShowUsageAgainstTheLimitAndTheOverviewCountsFullUsers() {
        var s = ConsoleState(); s.panel = .mailboxes
        s.mailbox.users = .loaded([
            MailboxUserSummary(address: "alice@example.com", folders: 4, messages: 10, unread: 0, size: 1_000_000, quotaBytes: 1 << 20),
            MailboxUserSummary(address: "bob@example.com", folders: 4, messages: 10, unread: 0, size: 2_000_000, quotaBytes: 1 << 20),
            MailboxUserSummary(address: "carol@example.com", folders: 4, messages: 10, unread: 0, size: 10),
        ])
        let lines = F.screen(F.model, s)
        let alice = lines.first { $0.hasPrefix("alice@") } ?? ""
        let bob = lines.first { $0.hasPrefix("bob@") } ?? ""
        #expect(alice.hasSuffix("976.6 KiB / 1.0 MiB 95%"), "\(alice)")
        #expect(bob.hasSuffix("/ 1.0 MiB FULL"), "\(bob)")
        #expect(MailboxesView.overQuotaCount(s.mailbox.users.value) == 1)
        s.panel = .overview
        let overview = F.screen(F.model, s).joined(separator: "\n")
        #expect(overview.contains("Quota 1 user over quota"), "\(overview)")
    }

    @Test func helpOverlayIsDrawnOverThePanel() {
        var s = ConsoleState(); s.panel = .blacklist; s.mode = .help
        let text = F.screen(F.model, s, rows: 40, columns: 120).joined(separator: "\n")
        #expect(text.contains("Blacklist panel"))
        #expect(text.contains("lift the selected ban"))
        #expect(text.contains("q/Ctrl-C"))
    }

    @Test func formHidesPasswords() {
        var s = ConsoleState(); s.panel = .mailboxes
        var f = Form.addUser()
        f.fields[0].value = "zoé@example.fr"; f.fields[1].value = "secret"
        s.mode = .form(f)
        let text = F.screen(F.model, s).joined(separator: "\n")
        #expect(text.contains("zoé@example.fr"))
        #expect(!text.contains("secret"))
        #expect(text.contains("••••••"))
    }

    @Test func filterNarrowsTheListAndShowsInTheTitle() {
        var s = ConsoleState(); s.panel = .rejections
        s.updateCursor(.rejections) { $0.filter = "auth" }
        let lines = F.screen(F.model, s)
        #expect(lines[1].contains("filter: auth"))
        #expect(lines[3].hasPrefix("09:59:50 203.0.113.5"))
        #expect(lines[4].trimmingCharacters(in: .whitespaces).isEmpty)
    }

    @Test func statusLineShowsResults() {
        var s = ConsoleState(); s.status = .init("Banned 192.0.2.9.", .ok)
        #expect(F.screen(F.model, s).last == " Banned 192.0.2.9." + String(repeating: " ", count: 62))
    }

    @Test func sparkline() {
        #expect(OverviewView.sparkline([0, 1, 2, 4, 8]) == "·▁▂▄█")
        #expect(OverviewView.sparkline([0, 0]) == "··")
    }

    @Test func tinyTerminalsDoNotCrash() {
        for (r, c) in [(1, 1), (2, 10), (5, 30), (0, 0)] {
            for p in Panel.allCases {
                var s = ConsoleState(); s.panel = p
                let lines = ConsoleScreen.render(model: F.model, state: s, now: F.now, rows: r, columns: c)
                #expect(lines.count == r)
            }
        }
    }
}
