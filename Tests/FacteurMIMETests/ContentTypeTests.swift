import Testing
@testable import FacteurMIME

struct ContentTypeTests {
    @Test func contentTypeParameters() throws {
        let type = try #require(MIMEFieldValue.contentType("Text/HTML; charset=\"iso-8859-1\" (comment); format=flowed"))
        #expect(type.value == "text" && type.subtype == "html")
        #expect(type.parameter("CHARSET") == "iso-8859-1")
        #expect(type.parameter("format") == "flowed")
        #expect(MIMEFieldValue.contentType("text") == nil)
        #expect(MIMEFieldValue.contentType("multipart/mixed; boundary=a/b=c")?.parameter("boundary") == "a/b=c")
        let disposition = try #require(MIMEFieldValue.disposition("attachment; filename=\"a b.pdf\""))
        #expect(disposition.value == "attachment" && disposition.parameter("filename") == "a b.pdf")
    }
}
