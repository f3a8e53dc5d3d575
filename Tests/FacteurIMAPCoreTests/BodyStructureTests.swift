import Testing
@testable import FacteurIMAPCore
import FacteurMIME

/// Expected BODYSTRUCTUREs of shared fixtures, worked out by hand from the files (after LF →
/// CRLF conversion): sizes count the body octets between the part's blank line and the CRLF
/// that belongs to the next boundary; lines count line ends plus an unterminated last line;
/// a text part without a charset is ("CHARSET" "us-ascii"), as Dovecot reports it.
struct BodyStructureTests {
    static let expected: [(String, String)] = [
        // text/plain, 43 octets: "\r\n" "Hi,\r\n" "\r\n" "Do you like this message?\r\n" "\r\n" "-Me\r\n"
        ("msg_01.txt", #"("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 43 6 NIL NIL NIL NIL)"#),
        // two text/plain parts without charset, 50 octets each, inline disposition with filename
        ("msg_04.txt", #"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 50 2 NIL ("INLINE" ("FILENAME" "msg.txt")) NIL NIL)"#
            + #"("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 50 2 NIL ("INLINE" ("FILENAME" "msg.txt")) NIL NIL)"#
            + #" "MIXED" ("BOUNDARY" "h90VIIIKmx") NIL NIL NIL)"#),
        // top-level message/rfc822 around a header-only message with a 1-line body
        ("msg_06.txt", #"("MESSAGE" "RFC822" NIL NIL "forwarded message" "7BIT" 497 "#
            + #"("Thu, 13 Sep 2001 17:28:28 -0400" "testing" (("Barry A. Warsaw" NIL "barry" "python.org")) "#
            + #"((NIL NIL "barry" "python.org")) (("Barry A. Warsaw" NIL "barry" "python.org")) "#
            + #"((NIL NIL "barry" "python.org")) NIL NIL NIL "<15265.9468.713530.98441@python.org>") "#
            + #"("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 2 1 NIL NIL NIL NIL) 16 NIL NIL NIL NIL)"#),
        // five text parts: 7bit, quoted-printable html, two base64, and one without CTE
        ("msg_10.txt", #"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 33 1 NIL NIL NIL NIL)"#
            + #"("TEXT" "HTML" ("CHARSET" "iso-8859-1") NIL NIL "QUOTED-PRINTABLE" 48 1 NIL NIL NIL NIL)"#
            + #"("TEXT" "PLAIN" ("CHARSET" "iso-8859-1") NIL NIL "BASE64" 48 2 NIL NIL NIL NIL)"#
            + #"("TEXT" "PLAIN" ("CHARSET" "iso-8859-1") NIL NIL "BASE64" 52 2 NIL NIL NIL NIL)"#
            + #"("TEXT" "PLAIN" ("CHARSET" "iso-8859-1") NIL NIL "7BIT" 48 1 NIL NIL NIL NIL)"#
            + #" "MIXED" ("BOUNDARY" "BOUNDARY") NIL NIL NIL)"#),
        // message/rfc822 whose enclosed message has no Content-Type: default text/plain
        ("msg_11.txt", #"("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 66 (NIL "An enclosed message" NIL NIL NIL NIL NIL NIL NIL NIL) "#
            + #"("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 34 1 NIL NIL NIL NIL) 3 NIL NIL NIL NIL)"#),
        // one part whose body "A message part" is followed directly by the close delimiter
        ("msg_23.txt", #"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 14 1 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "BOUNDARY") NIL NIL NIL)"#),
        // one empty part with no header at all
        ("msg_24.txt", #"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 0 0 NIL NIL NIL NIL) "MIXED" ("BOUNDARY" "BOUNDARY") NIL NIL NIL)"#),
        // multipart/digest of two message/rfc822 parts, 102 octets / 6 lines each
        ("msg_28.txt", #"(("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 102 (NIL "ee" ((NIL NIL "cc" "dd.org")) ((NIL NIL "cc" "dd.org")) "#
            + #"((NIL NIL "cc" "dd.org")) ((NIL NIL "aa" "bb.org")) NIL NIL NIL NIL) "#
            + #"("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 11 1 NIL NIL NIL NIL) 6 NIL NIL NIL NIL)"#
            + #"("MESSAGE" "RFC822" NIL NIL NIL "7BIT" 102 (NIL "ee" ((NIL NIL "cc" "dd.org")) ((NIL NIL "cc" "dd.org")) "#
            + #"((NIL NIL "cc" "dd.org")) ((NIL NIL "aa" "bb.org")) NIL NIL NIL NIL) "#
            + #"("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 11 1 NIL NIL NIL NIL) 6 NIL NIL NIL NIL)"#
            + #" "DIGEST" ("BOUNDARY" "BOUNDARY") NIL NIL NIL)"#),
        // multipart/signed whose boundary is an RFC 2231 extended value; parameters kept as written
        ("msg_33.txt", #"(("TEXT" "PLAIN" ("CHARSET*" "ansi-x3.4-1968''us-ascii") NIL NIL "QUOTED-PRINTABLE" 8 1 NIL ("INLINE" NIL) NIL NIL)"#
            + #"("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 8 1 NIL ("INLINE" NIL) NIL NIL) "SIGNED" ("MICALG*" "ansi-x3.4-1968''pgp-md5" "#
            + #""PROTOCOL*" "ansi-x3.4-1968''application%2Fpgp-signature" "BOUNDARY*" "ansi-x3.4-1968''EeQfGwPcQSOJBaQU") ("INLINE" NIL) NIL NIL)"#),
    ]

    @Test(arguments: expected.map(\.0))
    func bodyStructureOfFixture(_ name: String) throws {
        let message = MIMEMessage(try Fixtures.mime(name))
        let expected = try #require(Self.expected.first { $0.0 == name }?.1)
        #expect(written { $0.body(message.bodyStructure, extensions: true) } == expected)
    }

    @Test func bodyWithoutExtensions() throws {
        let message = MIMEMessage(try Fixtures.mime("msg_23.txt"))
        #expect(written { $0.body(message.bodyStructure, extensions: false) } == #"(("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 14 1) "MIXED")"#)
    }

    @Test func envelopeOfFixture() throws {
        let message = MIMEMessage(try Fixtures.mime("msg_01.txt"))
        #expect(written { $0.envelope(message.envelope) }
            == #"("Fri, 4 May 2001 14:05:44 -0400" "This is a test message" (("John X. Doe" NIL "bbb" "ddd.com")) "#
            + #"(("John X. Doe" NIL "bbb" "ddd.com")) (("John X. Doe" NIL "bbb" "ddd.com")) ((NIL NIL "bbb" "zzz.org")) "#
            + #"NIL NIL NIL "<15090.61304.110929.45684@aaa.zzz.org>")"#)
    }

    /// Every shared fixture parses, and its BODYSTRUCTURE is well-formed: balanced parentheses
    /// outside strings, and sizes never exceeding the message.
    @Test func everyFixtureGivesAWellFormedStructure() throws {
        for name in try Fixtures.allMIMENames() {
            let bytes = try Fixtures.mime(name)
            let message = MIMEMessage(bytes)
            let text = written { $0.body(message.bodyStructure, extensions: true) }
            var depth = 0, inString = false, escaped = false
            for character in text {
                if inString {
                    if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                    continue
                }
                if character == "\"" { inString = true }
                if character == "(" { depth += 1 }
                if character == ")" { depth -= 1; #expect(depth >= 0, "\(name)") }
            }
            #expect(depth == 0, "\(name): \(text)")
            func check(_ body: BodyStructure) {
                switch body {
                case .single(let part): #expect(part.size <= bytes.count, "\(name)")
                case .multi(let multi): #expect(!multi.parts.isEmpty, "\(name)"); multi.parts.forEach(check)
                }
            }
            check(message.bodyStructure)
        }
    }

    @Test func nestingIsBounded() {
        // 100 nested multiparts: the parser stops descending at the limit instead of recursing on.
        var text = ""
        for level in 0..<100 { text += "Content-Type: multipart/mixed; boundary=b\(level)\r\n\r\n--b\(level)\r\n" }
        text += "\r\nend\r\n"
        let message = MIMEMessage(Array(text.utf8))
        var depth = 0
        var node = message.bodyStructure
        while case .multi(let multi) = node, let first = multi.parts.first { node = first; depth += 1 }
        #expect(depth <= MIMELimits.maxMIMEDepth)
    }
}

struct EncapsulatedMessageTests {
    @Test func base64MessageRFC822StaysOpaque() {
        let text = "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64\r\n\r\nU3ViamVjdDogeA0KDQpi\r\n"
        let message = MIMEMessage(Array(text.utf8))
        #expect(written { $0.body(message.bodyStructure, extensions: false) } == #"("MESSAGE" "RFC822" NIL NIL NIL "BASE64" 22 (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) ("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 0 0) 1)"#)
    }
}
