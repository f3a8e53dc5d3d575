import Testing
@testable import FacteurMailStore

@Suite struct MaildirFilenameTests {
    @Test func splitsBaseAndInfo() {
        let f = MaildirFilename("1795933936.M622199P25953Q1R17398ad3.mail.example.test,S=249:2,FS")
        #expect(f.base == "1795933936.M622199P25953Q1R17398ad3.mail.example.test,S=249")
        #expect(f.suffix == ":2,FS")
        #expect(f.flags == [.flagged, .seen])
        let g = MaildirFilename("1795933936.M622199P25953Q1R17398ad3.mail.example.test,S=249")
        #expect(g.suffix == "")
        #expect(g.flags == [])
    }

    static let letters: [(String, MessageFlags)] = [
        (":2,", []), (":2,S", .seen), (":2,DFRST", .all), (":2,RS", [.answered, .seen]),
        (":2,T", .deleted), (":2,Pab", []), (":1,S", []), ("", []),
    ]

    @Test(arguments: letters)
    func flagsFromInfo(_ c: (String, MessageFlags)) {
        #expect(MaildirFilename.flags(suffix: c.0) == c.1)
    }

    @Test func suffixIsSortedAndKeepsForeignLetters() {
        #expect(MaildirFilename.suffix(flags: [.seen, .draft, .deleted], keeping: "") == ":2,DST")
        #expect(MaildirFilename.suffix(flags: .all, keeping: "") == ":2,DFRST")
        #expect(MaildirFilename.suffix(flags: [.seen], keeping: ":2,PaRS") == ":2,PSa")
        #expect(MaildirFilename.suffix(flags: [], keeping: ":2,S") == ":2,")
    }

    @Test func sizeAndTimeFromBase() {
        let b = "1795933936.M622199P25953Q1R17398ad3.mail.example.test,S=249,W=260"
        // Dovecot's W= (CRLF size) wins over S= (its physical, LF size).
        #expect(MaildirFilename.size(base: b) == 260)
        #expect(MaildirFilename.size(base: "1795933936.M1.host,S=249") == 249)
        #expect(MaildirFilename.time(base: b)?.seconds == 1_795_933_936)
        #expect(MaildirFilename.time(base: b)?.micros == 622_199)
        #expect(MaildirFilename.size(base: "1795933936.P1.host") == nil)
        #expect(MaildirFilename.time(base: "1795933936.P1.host")?.micros == 0)
        #expect(MaildirFilename.time(base: "mutt-host-1000-1") == nil)
        #expect(MaildirFilename.size(base: "x,S=") == nil)
        #expect(MaildirFilename.size(base: "x,S=99999999999999999999999") != nil)   // bounded, no overflow
    }

    @Test(arguments: [("\\Seen", MessageFlags.seen), ("\\seen", .seen), ("\\ANSWERED", .answered), ("\\Draft", .draft)])
    func imapNames(_ c: (String, MessageFlags)) {
        #expect(MessageFlags(imapName: c.0) == c.1)
        #expect(c.1.imapNames.count == 1)
    }

    @Test func unknownImapNames() {
        #expect(MessageFlags(imapName: "\\Recent") == nil)
        #expect(MessageFlags(imapName: "$Junk") == nil)
    }
}
