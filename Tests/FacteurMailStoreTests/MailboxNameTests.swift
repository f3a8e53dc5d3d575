import Testing
@testable import FacteurMailStore

@Suite struct MailboxNameTests {
    static let valid: [(String, String, String?)] = [
        // input, canonical, directory
        ("INBOX", "INBOX", nil),
        ("inbox", "INBOX", nil),
        ("InBoX", "INBOX", nil),
        ("Sent", "Sent", ".Sent"),
        ("Work/2024", "Work/2024", ".Work.2024"),
        ("inbox/Sub", "INBOX/Sub", ".INBOX.Sub"),
        ("Entwürfe", "Entwürfe", ".Entwürfe"),
        ("a b/c-d_e", "a b/c-d_e", ".a b.c-d_e"),
        ("Inboxes", "Inboxes", ".Inboxes"),
    ]

    @Test(arguments: valid)
    func accepts(_ c: (String, String, String?)) throws {
        let n = try MailboxName(c.0)
        #expect(n.canonical == c.1)
        #expect(n.directoryName == c.2)
        if let d = c.2 { #expect(MailboxName(directoryName: d) == n) }
    }

    static let invalid: [String] = [
        "", "/", "/abs", "a/", "a//b", ".", "..", "../x", "a/../b", "a/..", ".hidden", "a/.b", "a.b",
        "a\u{0}b", "a\nb", "a\rb", "a\tb", "a\u{7F}", "a\u{85}b", "a\\b", "*", "a%", "x/*/y",
        String(repeating: "x", count: MailStoreLimits.maxMailboxNameBytes + 1),
        Array(repeating: "x", count: MailStoreLimits.maxMailboxDepth + 1).joined(separator: "/"),
    ]

    @Test(arguments: invalid)
    func refuses(_ name: String) {
        #expect(throws: MailStoreError.self) { try MailboxName(name) }
    }

    @Test func longestAndDeepestAreAccepted() throws {
        _ = try MailboxName(String(repeating: "x", count: MailStoreLimits.maxMailboxNameBytes))
        _ = try MailboxName(Array(repeating: "x", count: MailStoreLimits.maxMailboxDepth).joined(separator: "/"))
    }

    @Test(arguments: ["", ".", "..", "...", ".INBOX", "x", ".a..b", ".a.", "..a"])
    func foreignDirectoriesThatAreNotFolders(_ d: String) {
        #expect(MailboxName(directoryName: d) == nil)
    }

    @Test func hierarchy() throws {
        let n = try MailboxName("A/B/C")
        #expect(n.parent == (try MailboxName("A/B")))
        #expect(n.ancestors.map(\.canonical) == ["A", "A/B"])
        #expect(n.isInferior(of: try MailboxName("A")))
        #expect(!(try MailboxName("AB")).isInferior(of: try MailboxName("A")))
        #expect(n.reparented(from: try MailboxName("A"), to: try MailboxName("X/Y")).canonical == "X/Y/B/C")
        #expect(MailboxName.inbox < (try MailboxName("Archive")))
    }

    @Test(arguments: ["../x", "x/../y", "", ".x", "a/b", "a@..", "a@.b", "a@b/c", "a\u{0}@b"])
    func ownersThatCouldEscapeAreRefused(_ owner: String) {
        #expect(throws: MailStoreError.self) { try MailOwner.directory(root: "/r", owner: owner) }
    }

    @Test func ownerDirectories() throws {
        #expect(try MailOwner.directory(root: "/r", owner: "alice@example.com") == "/r/example.com/alice")
        #expect(try MailOwner.directory(root: "/r", owner: "postmaster") == "/r/_/postmaster")
        #expect(MailOwner.owner(domain: "_", local: "postmaster") == "postmaster")
    }
}
