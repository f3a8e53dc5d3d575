import Testing
@testable import FacteurIMAPCore

struct MailboxNameValidatorTests {
    @Test func inboxIsCaseInsensitive() {
        #expect(IMAPMailboxName(wire: "inbox") == .inbox)
        #expect(IMAPMailboxName(wire: "InBoX").isInbox)
        #expect(IMAPMailboxName(wire: "INBOX/Sub").wire == "INBOX/Sub")
        #expect(IMAPMailboxName(displayName: "Entwürfe").wire == "Entw&APw-rfe")
    }

    @Test(arguments: [
        ("Archive", ["Archive"]), ("Archive/2024", ["Archive", "2024"]), ("Projects 2.0", ["Projects 2.0"]),
        ("Entw&APw-rfe", ["Entwürfe"]), (".hidden", [".hidden"]), ("a..b", ["a..b"]),
    ])
    func accepts(_ wire: String, _ components: [String]) {
        #expect(MailboxNameValidator.validate(IMAPMailboxName(wire: wire)) == .success(components))
    }

    @Test(arguments: [
        ("", MailboxNameValidator.Failure.empty),
        ("/etc", .emptyComponent), ("a/", .emptyComponent), ("a//b", .emptyComponent),
        ("..", .dotComponent), ("a/../../b", .dotComponent), ("a/./b", .dotComponent),
        ("a\u{0}b", .invalidEncoding), ("a\tb", .invalidEncoding), ("&AAA-", .controlCharacter), ("&AAo-", .controlCharacter),
        ("a*", .wildcard), ("%", .wildcard), ("&AGE-", .invalidEncoding),
        (String(repeating: "a", count: 1025), .tooLong),
        (Array(repeating: "a", count: 33).joined(separator: "/"), .tooDeep),
    ])
    func refuses(_ wire: String, _ failure: MailboxNameValidator.Failure) {
        #expect(MailboxNameValidator.validate(IMAPMailboxName(wire: wire)) == .failure(failure))
    }

    @Test(arguments: [
        ("INBOX", ""), ("Archive", ".Archive"), ("Archive/2024", ".Archive.2024"), ("Projects 2.0", ".Projects 2&AC4-0"),
        ("Entw&APw-rfe/x.y", ".Entw&APw-rfe.x&AC4-y"), (".hidden", ".&AC4-hidden"),
    ])
    func mapsToMaildirFolders(_ wire: String, _ folder: String) {
        let name = IMAPMailboxName(wire: wire)
        #expect(MailboxNameValidator.maildirFolder(for: name) == .success(folder))
        #expect(MailboxNameValidator.mailboxName(forMaildirFolder: folder) == name)
    }

    @Test func maildirFolderNeverEscapes() {
        #expect(MailboxNameValidator.maildirFolder(for: IMAPMailboxName(wire: "../x")) == .failure(.dotComponent))
        #expect(MailboxNameValidator.mailboxName(forMaildirFolder: "..") == nil)
        #expect(MailboxNameValidator.mailboxName(forMaildirFolder: "cur") == nil)
        #expect(MailboxNameValidator.mailboxName(forMaildirFolder: ".a..b") == nil)
    }
}
