import Testing
@testable import FacteurMIME

struct RFC2231Tests {
    @Test func mergesContinuations() throws {
        let type = try #require(MIMEFieldValue.contentType(
            "message/external-body; access-type=URL; title*0*=\"us-ascii'en'This%20is%20even%20more%20\"; "
            + "title*1*=\"%2A%2A%2Afun%2A%2A%2A%20\"; title*2=\"isn't it!\""))
        #expect(type.parameters == [
            BodyParameter("access-type", "URL"),
            BodyParameter("title*", "us-ascii'en'This%20is%20even%20more%20%2A%2A%2Afun%2A%2A%2A%20isn%27t%20it%21"),
        ])
        #expect(type.parameter("title") == "This is even more ***fun*** isn't it!")
    }

    @Test func plainContinuationsStayPlain() throws {
        let type = try #require(MIMEFieldValue.contentType("application/x; name*0=\"long \"; name*1=\"name.txt\""))
        #expect(type.parameters == [BodyParameter("name", "long name.txt")])
    }

    @Test func extendedValueCharset() throws {
        let type = try #require(MIMEFieldValue.contentType("text/plain; name*=utf-8''%C3%A9t%C3%A9.txt"))
        #expect(type.parameter("name") == "été.txt")
        #expect(type.parameter("NAME*") == "utf-8''%C3%A9t%C3%A9.txt")
    }
}
