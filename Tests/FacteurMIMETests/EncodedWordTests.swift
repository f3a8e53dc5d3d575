import Testing
@testable import FacteurMIME

struct EncodedWordTests {
    @Test(arguments: [
        ("=?ISO-8859-1?Q?Andr=E9?= Pirard", "André Pirard"),                  // RFC 2047 §8
        ("=?US-ASCII?Q?Keith_Moore?=", "Keith Moore"),
        ("=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=", "If you can read this yo"),
        ("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"),                    // whitespace between words dropped
        ("(=?ISO-8859-1?Q?a?=  \t  =?ISO-8859-1?Q?b?=)", "(ab)"),
        ("(=?ISO-8859-1?Q?a_b?=)", "(a b)"),
        ("(=?ISO-8859-1?Q?a?= b)", "(a b)"),
        ("=?utf-8?b?w6lsw6h2ZQ==?=", "élève"),
        ("=?UTF-8*fr?Q?=C3=A9t=C3=A9?=", "été"),                               // RFC 2231 language
        ("=?windows-1252?Q?=93quoted=94?=", "\u{201C}quoted\u{201D}"),
        ("plain text", "plain text"),
        ("=?broken", "=?broken"),
        ("=?utf-8?X?abc?=", "=?utf-8?X?abc?="),
        ("a =?utf-8?q?x?= b", "a x b"),
    ])
    func decodes(_ encoded: String, _ decoded: String) {
        #expect(EncodedWord.decode(encoded) == decoded)
    }
}
