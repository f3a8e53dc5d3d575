import Testing
@testable import FacteurMIME

struct TextDecodingTests {
    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")])
    func base64RoundTrip(_ plain: String, _ encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(Array(encoded.utf8), strict: true) == Array(plain.utf8))
    }

    @Test func base64StrictAndLenient() {
        #expect(Base64.decode(Array("Zm9v\r\nYmFy".utf8)) == Array("foobar".utf8))
        #expect(Base64.decode(Array("Zm9v\r\nYmFy".utf8), strict: true) == nil)
        #expect(Base64.decode(Array("Zm9".utf8), strict: true) == nil)
        #expect(Base64.decode(Array("Zg==Zg==".utf8), strict: true) == nil)
    }

    @Test(arguments: [
        ("=A1Hola", [0xA1] + Array("Hola".utf8)),
        ("soft=\r\nbreak", Array("softbreak".utf8)),
        ("soft=  \nbreak", Array("softbreak".utf8)),
        ("bad=ZZ", Array("bad=ZZ".utf8)),
        ("end=", Array("end".utf8)),
        ("a=3Db", Array("a=b".utf8)),
    ])
    func quotedPrintable(_ encoded: String, _ decoded: [UInt8]) {
        #expect(QuotedPrintable.decode(Array(encoded.utf8)) == decoded)
    }

    @Test func charsets() {
        #expect(TextDecoding.decode([0x63, 0x61, 0x66, 0xE9], charset: "ISO-8859-1") == "café")
        #expect(TextDecoding.decode([0x80], charset: "windows-1252") == "€")
        #expect(TextDecoding.decode(Array("é".utf8), charset: "UTF-8") == "é")
        #expect(TextDecoding.decode([0xB1], charset: "iso-8859-2") == "ą")
        #expect(TextDecoding.decode(Array("abc".utf8), charset: "x-unknown") == "abc")
        #expect(TextDecoding.decodeTransfer(Array("Zm9v".utf8), encoding: "BASE64") == Array("foo".utf8))
        #expect(TextDecoding.decodeTransfer(Array("=41".utf8), encoding: "Quoted-Printable") == [0x41])
        #expect(TextDecoding.decodeTransfer(Array("=41".utf8), encoding: "8bit") == Array("=41".utf8))
    }

    @Test func searchableBodyTextIsDecoded() throws {
        let message = MIMEMessage(try Fixtures.mime("msg_10.txt"))
        let text = message.bodyText
        #expect(text.contains("This is a 7bit encoded message."))
        #expect(text.contains("¡This is a Quoted Printable encoded message!"))
        #expect(text.contains("This is a Base64 encoded message."))
        #expect(!text.contains("VGhpcyBpcyBhIEJhc2U2NCBlbmNvZGVkIG1lc3NhZ2Uu"))
    }
}
