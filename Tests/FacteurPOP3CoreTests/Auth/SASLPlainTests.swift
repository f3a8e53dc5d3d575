import Foundation
import FacteurTestSupport
import Testing
@testable import FacteurPOP3Core

@Suite struct SASLPlainTests {
    static func b64(_ s: String) -> [UInt8] { Array(Data(s.utf8).base64EncodedString().utf8) }

    @Test(arguments: [
        ("\0alice\0secret", Result<SASLPlain, SASLPlain.DecodeError>.success(SASLPlain(user: "alice", password: "secret".bytes))),
        ("alice\0alice\0pw with space", .success(SASLPlain(authorizationID: "alice", user: "alice", password: "pw with space".bytes))),
        ("\0ålice\0pässword", .success(SASLPlain(user: "ålice", password: "pässword".bytes))),
        ("alice\0secret", .failure(.malformed)),
        ("\0\0secret", .failure(.malformed)),
        ("\0alice\0", .failure(.malformed)),
        ("", .failure(.malformed)),
    ])
    func decode(raw: String, expected: Result<SASLPlain, SASLPlain.DecodeError>) {
        #expect(SASLPlain.decode(base64: Self.b64(raw)) == expected)
    }

    @Test(arguments: ["not base64!", "AGFsaWNl AHNlY3JldA==", "=", "AGFsaWNlAHNlY3JldA"])
    func invalidBase64(text: String) {
        #expect(SASLPlain.decode(base64: text.bytes) == .failure(.invalidBase64))
    }

    @Test func tooLongPassword() {
        let limits = POP3Limits(passwordLength: 4)
        #expect(SASLPlain.decode(base64: Self.b64("\0a\012345"), limits: limits) == .failure(.tooLong))
    }

    @Test func encodeRoundTrips() {
        let plain = SASLPlain(user: "bob", password: "p@ss".bytes)
        #expect(plain.encodedResponse().text == "AGJvYgBwQHNz")
        #expect(SASLPlain.decode(base64: plain.encodedResponse()) == .success(plain))
    }
}
