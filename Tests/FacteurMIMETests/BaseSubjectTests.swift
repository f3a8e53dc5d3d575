import Testing
import FacteurMIME

/// RFC 5256 §2.1 base subject extraction.
struct BaseSubjectTests {
    @Test(arguments: [
        ("Hello", "HELLO", false),
        ("Re: Hello", "HELLO", true),
        ("RE: re: Fwd: hello", "HELLO", true),
        ("Fw: hello", "HELLO", true),
        ("[list] Re: hello", "HELLO", true),
        ("Re [list]: hello", "HELLO", true),
        ("[list] hello", "HELLO", false),
        ("[list]", "[LIST]", false),
        ("hello (fwd)", "HELLO", true),
        ("hello (FWD)  (fwd) ", "HELLO", true),
        ("[fwd: hello]", "HELLO", true),
        ("Re: [FWD: c]", "C", true),
        ("  hello   world\t again ", "HELLO WORLD AGAIN", false),
        ("[foo] Fwd: [bar] Re: fw: b (fWd)  (fwd)", "B", true),
        ("re: [fwd: [fwd: re: [fwd: babylon]]]", "BABYLON", true),
        ("Ad: Re: Ad: Re: Ad: x", "AD: RE: AD: RE: AD: X", false),
        ("Reply to this", "REPLY TO THIS", false),
        ("=?iso-8859-1?q?RE:_C?=", "C", true),
        ("=?us-ascii?b?UmU6IGM=?=", "C", true),
        ("=?iso-8859-1?q?_?=", "", false),
        ("=?utf-8?q?caf=C3=A9?=", "CAFE\u{301}", false),
        ("", "", false),
    ])
    func extraction(raw: String, key: String, reply: Bool) {
        let subject = BaseSubject(subject: raw)
        #expect(subject.key == key)
        #expect(subject.isReplyOrForward == reply)
    }

    @Test func missingSubjectIsEmpty() {
        #expect(BaseSubject(subject: nil) == BaseSubject(key: "", isReplyOrForward: false))
    }

    @Test func hugeSubjectIsBounded() {
        let subject = BaseSubject(subject: String(repeating: "Re: ", count: 100_000) + "x")
        #expect(subject.key.utf8.count <= MIMELimits.maxSortSubject)
    }
}

struct MessageSortFieldsTests {
    @Test func readsTheKeysOfAHeader() {
        let header = """
            From: "Bob Smith" <Bob@Example.org>, carol@example.org\r
            To: =?iso-8859-1?q?Andr=E9?= <andre@example.org>\r
            Cc: team: x@example.org, y@example.org;\r
            Subject: Re: [list] Plans\r
            Date: Mon, 1 Jan 2024 10:00:00 +0100\r
            Message-ID: <abc@example.org>\r
            In-Reply-To: <parent@example.org>\r
            References: <root@example.org> (comment)\r
             <parent@example.org>\r
            \r
            body
            """
        let fields = MessageSortFields(header: Array(header.utf8))
        #expect(fields.fromKey == "BOB")
        #expect(fields.toKey == "ANDRE")
        #expect(fields.ccKey == "TEAM")
        #expect(fields.displayFrom == "BOB SMITH")
        #expect(fields.displayTo == "ANDRE\u{301}")
        #expect(fields.subject == BaseSubject(key: "PLANS", isReplyOrForward: true))
        #expect(fields.sentDate?.timeIntervalSince1970 == 1_704_099_600)
        #expect(fields.messageID == "abc@example.org")
        #expect(fields.references == ["root@example.org", "parent@example.org"])
    }

    @Test func inReplyToStandsInForMissingReferences() {
        let fields = MessageSortFields(header: Array("In-Reply-To: Bob's note <p@x> and <q@x>\r\nFrom: d\r\n\r\n".utf8))
        #expect(fields.references == ["p@x"])
        #expect(fields.displayFrom == "D")
        #expect(fields.sentDate == nil)
        #expect(fields.messageID == nil)
    }

    @Test func displayFallsBackToTheAddress() {
        #expect(MessageSortFields(header: Array("From: b@c.d\r\n\r\n".utf8)).displayFrom == "B@C.D")
        #expect(MessageSortFields(header: Array("To: empty:;\r\n\r\n".utf8)).displayTo == "EMPTY")
    }
}
