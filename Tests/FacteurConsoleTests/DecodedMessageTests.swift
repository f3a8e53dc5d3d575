import Foundation
import FacteurMIME
import Testing
@testable import FacteurConsole

@Suite struct DecodedMessageTests {
    func decode(_ text: String, showBodies: Bool = true) -> DecodedMessage {
        DecodedMessage.decode(Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8), showBodies: showBodies)
    }

    static let multipart = """
    From: =?utf-8?q?Ren=C3=A9e_M=C3=BCller?= <renee@example.de>
    Subject: =?utf-8?b?UsOpdW5pb24=?= =?utf-8?q?_de_jeudi?= — ordre
     du jour
    Content-Type: multipart/mixed; boundary="b1"

    preamble
    --b1
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: quoted-printable

    La r=C3=A9union est d=C3=A9plac=C3=A9e =
    =C3=A0 jeudi.
    --b1
    Content-Type: multipart/alternative; boundary=inner

    --inner
    Content-Type: text/plain; charset=iso-8859-1
    Content-Transfer-Encoding: base64

    Q2hlciBab+k=
    --inner--
    --b1
    Content-Type: application/pdf; name="=?utf-8?q?r=C3=A9sum=C3=A9.pdf?="
    Content-Transfer-Encoding: base64

    JVBERi0xLjQK
    --b1--
    epilogue
    """

    @Test func authenticationVerdictComesFromTheTopmostField() {
        let m = decode("Authentication-Results: mx.example.net;\n\tspf=pass smtp.mailfrom=a.example;\n\tdkim=fail (body hash did not verify) header.d=a.example;\n\tdmarc=fail (p=quarantine dis=quarantine) header.from=a.example\nAuthentication-Results: elsewhere; spf=pass\nFrom: a@a.example\n\nHi\n")
        #expect(m.authenticationVerdict == "mx.example.net: spf=pass dkim=fail dmarc=fail")
        #expect(m.authenticationFailed)
        let lines = MailboxesView.messageLines(m, showBodies: true, width: 80)
        #expect(lines.first?.segments.map(\.text).joined() == "Verdict:    mx.example.net: spf=pass dkim=fail dmarc=fail")
        #expect(lines.first?.segments.last?.role == .warning)
        #expect(decode("From: a@a.example\n\nHi\n").authenticationVerdict == nil)
        #expect(decode("Authentication-Results: mx; none\n\nHi\n").authenticationFailed == false)
    }

    @Test func headersAreUnfoldedAndEncodedWordsDecoded() {
        let m = decode(Self.multipart)
        #expect(m.headers["from"] == "Renée Müller <renee@example.de>")
        // Whitespace between adjacent encoded words is dropped (RFC 2047 §6.2).
        #expect(m.headers["Subject"] == "Réunion de jeudi — ordre du jour")
    }

    @Test func partTree() {
        let m = decode(Self.multipart)
        #expect(m.parts.map(\.mimeType) == ["multipart/mixed", "text/plain", "multipart/alternative", "text/plain", "application/pdf"])
        #expect(m.parts.map(\.depth) == [0, 1, 1, 2, 1])
        #expect(m.parts[4].name == "résumé.pdf")
        #expect(m.parts[3].charset == "iso-8859-1")
    }

    @Test func textPartsAreDecoded() {
        let m = decode(Self.multipart)
        #expect(m.text == ["La réunion est déplacée à jeudi.", "", "──── next part ────", "Cher Zoé"])
    }

    @Test func bodiesHidden() {
        let m = decode(Self.multipart, showBodies: false)
        #expect(m.text == nil)
        #expect(m.parts.count == 5)
        let lines = MailboxesView.messageLines(m, showBodies: false, width: 80).map(\.text)
        #expect(lines.contains("[bodies hidden: show_bodies = false]"))
        #expect(!lines.contains { $0.contains("réunion") })
    }

    @Test func htmlOnlyMailIsShownWithoutTags() {
        let m = decode("Content-Type: text/html\n\n<p>Hello &amp; <b>bye</b></p>")
        #expect(m.text == ["Hello & bye"])
    }

    @Test(arguments: [
        "", "no header at all", "Content-Type: multipart/mixed; boundary=x\n\n--x\n--x\n--x--",
        "Content-Type: multipart/mixed\n\nno boundary", "Subject: =?utf-8?q?broken", "Subject: =?x?Z?abc?=",
        "Content-Transfer-Encoding: base64\n\n!!!!", "Content-Transfer-Encoding: quoted-printable\n\n=ZZ=\n=",
    ])
    func damagedInputGivesWhatCanBeRead(text: String) {
        let m = decode(text)
        #expect(m.parts.count >= 1)
    }

    @Test func deepNestingIsBounded() {
        var text = ""
        for i in 0..<40 { text += "Content-Type: multipart/mixed; boundary=b\(i)\n\n--b\(i)\n" }
        text += "Content-Type: text/plain\n\nbottom\n"
        let m = decode(text)
        #expect(m.parts.count <= ConsoleLimits.mimeDepth + 1)
    }

    @Test func transferDecoders() {
        #expect(Base64.decode(Array("SGVs\r\nbG8=".utf8)) == Array("Hello".utf8))
        #expect(QuotedPrintable.decode(Array("a=3Db=\r\nc".utf8)) == Array("a=bc".utf8))
        #expect(TextDecoding.decode([0xE9], charset: "ISO-8859-1") == "é")
        #expect(TextDecoding.decode([0x80], charset: "windows-1252") == "€")
        #expect(EncodedWord.decode("=?ISO-8859-1?Q?Andr=E9?= Pirard") == "André Pirard")
        #expect(EncodedWord.decode("plain text") == "plain text")
    }

    @Test func longLinesAreWrappedToTheScreen() {
        let long = "Bonjour " + String(repeating: "très ", count: 30) + "long."
        let m = decode("Subject: s\nContent-Type: text/plain; charset=utf-8\n\n\(long)\n  > cité 山田太郎山田太郎")
        let lines = MailboxesView.messageLines(m, showBodies: true, width: 40)
        #expect(lines.allSatisfy { $0.width <= 40 })
        let body = lines.map(\.text).drop { !$0.hasPrefix("Bonjour") }
        #expect(body.count >= 5)
        #expect(body.joined(separator: " ").contains("très long."))
        #expect(body.last == "  > cité 山田太郎山田太郎")
    }
}
