import Testing
@testable import FacteurCore

struct MailAddressTests {
    static let dir = StaticDirectory(domains: ["example.com", "example.org"],
                                     users: ["alice@example.com", "bob@example.org", "postmaster@example.com"],
                                     aliases: ["sales@example.com": ["alice@example.com", "bob@example.org"]])

    enum Expect: Equatable { case local([String]), unknown, relay, syntax }

    /// Every address trick from the issue: none may relay, none may crash.
    static let cases: [(String, Expect)] = [
        ("<alice@example.com>", .local(["alice@example.com"])),
        ("<ALICE@Example.COM>", .local(["alice@example.com"])),
        (" <alice@example.com>", .local(["alice@example.com"])),
        ("<\"alice\"@example.com>", .local(["alice@example.com"])),
        ("<sales@example.com>", .local(["alice@example.com", "bob@example.org"])),
        ("<postmaster>", .local(["postmaster@example.com"])),
        ("<PostMaster>", .local(["postmaster@example.com"])),
        ("<@relay.net,@other.net:alice@example.com>", .local(["alice@example.com"])),
        ("<@relay.net:victim@gmail.com>", .relay),
        ("<victim@gmail.com>", .relay),
        ("<alice@example.com.evil.net>", .relay),
        ("<victim%gmail.com@example.com>", .unknown),
        ("<gmail.com!victim@example.com>", .unknown),
        ("<\"victim@gmail.com\"@example.com>", .unknown),
        ("<\"victim@gmail.com\">", .syntax),
        ("<alice@[127.0.0.1]>", .relay),
        ("<alice@[IPv6:::1]>", .relay),
        ("alice@example.com", .syntax),
        ("<alice@example.com", .syntax),
        ("<alice@example.com.>", .syntax),
        ("<alice@@example.com>", .syntax),
        ("<alice..x@example.com>", .syntax),
        ("<.alice@example.com>", .syntax),
        ("<alice@-example.com>", .syntax),
        ("<alice@exa_mple.com>", .syntax),
        ("<alice>", .syntax),
        ("<@example.com>", .syntax),
        ("<nobody@example.com>", .unknown),
        ("<nobody@EXAMPLE.ORG>", .unknown),
        ("<alice@example.com> junk", .syntax),
        ("<alice@example.com>junk", .syntax),
        ("<" + String(repeating: "a", count: 65) + "@example.com>", .syntax),
        ("<ålice@example.com>", .syntax),
        ("<>", .syntax),
    ]

    @Test(arguments: cases)
    func resolve(_ input: String, _ expected: Expect) {
        let got: Expect
        switch SMTPAddressParser.parsePath(Substring(input), utf8Allowed: false) {
        case .failure: got = .syntax
        case .success(let (path, params)):
            guard params.isEmpty else { got = .syntax; break }
            let r: RecipientResolution
            switch path {
            case .null: got = .syntax; #expect(got == expected); return
            case .postmaster: r = Self.dir.postmaster()
            case .mailbox(let m): r = Self.dir.resolve(m)
            }
            switch r {
            case .local(let o): got = .local(o)
            case .unknownUser: got = .unknown
            case .notLocal: got = .relay
            }
        }
        #expect(got == expected, "\(input)")
    }

    @Test func nullPathAndParams() throws {
        let r = try SMTPAddressParser.parsePath("<> SIZE=10", utf8Allowed: false).get()
        #expect(r.0 == .null)
        #expect(r.1 == "SIZE=10")
    }

    @Test func utf8WithSMTPUTF8() throws {
        let r = try SMTPAddressParser.parsePath("<jöran@example.com>", utf8Allowed: true).get()
        guard case .mailbox(let m) = r.0 else { Issue.record("not a mailbox"); return }
        #expect(m.localPart == "jöran")
        #expect(m.description == "jöran@example.com")
    }

    @Test func quotedLocalPartRoundTrip() throws {
        let r = try SMTPAddressParser.parsePath("<\"a b\\\"c\"@example.com>", utf8Allowed: false).get()
        guard case .mailbox(let m) = r.0 else { Issue.record("not a mailbox"); return }
        #expect(m.localPart == "a b\"c")
        #expect(m.description == "\"a b\\\"c\"@example.com")
    }
}
