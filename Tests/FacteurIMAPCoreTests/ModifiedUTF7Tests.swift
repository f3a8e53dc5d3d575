import Testing
@testable import FacteurIMAPCore

struct ModifiedUTF7Tests {
    @Test(arguments: [
        ("INBOX", "INBOX"),
        ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),  // RFC 3501 §5.1.3 example
        ("Entwürfe", "Entw&APw-rfe"),
        ("A&B", "A&-B"),
        ("&", "&-"),
        ("Envoyés récemment", "Envoy&AOk-s r&AOk-cemment"),
        ("😀", "&2D3eAA-"),  // outside the BMP: a surrogate pair
        ("", ""),
    ])
    func encodesAndDecodes(_ text: String, _ wire: String) {
        #expect(ModifiedUTF7.encode(text) == wire)
        #expect(ModifiedUTF7.decode(wire) == text)
    }

    @Test(arguments: [
        "&",            // unterminated
        "&U,BTFw",      // unterminated shift
        "&AGE-",        // encodes printable ASCII "a": not canonical
        "&U,BTFw-&ZeVnLIqe-",  // two adjacent shifts: not canonical
        "&Jjo!-",       // "!" is not in the modified BASE64 alphabet
        "&AOk",
        "caf\u{E9}",    // raw 8-bit
        "&2D0-",        // lone surrogate
        "&AOl-",        // non-zero padding bits
    ])
    func refusesInvalid(_ wire: String) {
        #expect(ModifiedUTF7.decode(wire) == nil)
    }

    @Test func lenientDecodeAcceptsNonCanonical() {
        #expect(ModifiedUTF7.decode("&AGE-", strict: false) == "a")
    }
}
