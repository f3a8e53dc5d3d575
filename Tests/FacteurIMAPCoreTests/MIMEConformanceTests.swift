import Foundation
import Testing
@testable import FacteurIMAPCore
@testable import FacteurMIME

/// ENVELOPE, BODYSTRUCTURE and SEARCH on the messages imaptest and real mail found wrong
/// (issue #11), against what Dovecot 2.3 answers.
struct MIMEConformanceTests {
    func message(_ text: String) -> MIMEMessage { MIMEMessage(LineEndings.crlf(Array(text.utf8))) }

    func envelope(_ header: String) -> String {
        written { $0.envelope(message(header + "\n\nbody\n").envelope) }
    }

    /// The leaves of a body structure as "TYPE/SUBTYPE", depth-first, with their nesting.
    func shape(_ body: BodyStructure) -> String {
        switch body {
        case .single(let part): return "\(part.type)/\(part.subtype)"
        case .multi(let multi): return multi.subtype + "[" + multi.parts.map(shape).joined(separator: " ") + "]"
        }
    }

    func descriptions(_ body: BodyStructure) -> [String] {
        switch body {
        case .single(let part): return part.description.map { [$0] } ?? []
        case .multi(let multi): return multi.parts.flatMap(descriptions)
        }
    }

    // MARK: ENVELOPE (imaptest fetch-envelope)

    @Test func aCommentInsideAGroupIsNotAnAddress() {
        let env = envelope("From: user@domain\nCc: group:;, group2: (foo) ;")
        #expect(env.contains(#"((NIL NIL "group" NIL)(NIL NIL NIL NIL)(NIL NIL "group2" NIL)(NIL NIL NIL NIL))"#), "\(env)")
    }

    @Test func repeatedAddressFieldsAllContribute() {
        let env = message("From: a@x.org\nTo: one@x.org\nCc: c1@x.org\nTo: Two <two@x.org>\nCc: c2@x.org\n\nbody\n").envelope
        #expect(env.to.map(\.mailbox) == ["one", "two"])
        #expect(env.cc.map(\.mailbox) == ["c1", "c2"])
    }

    @Test func aSourceRouteIsTheAdlField() {
        let env = envelope("From: <@route:user@domain>")
        #expect(env.contains(#"((NIL "@route" "user" "domain"))"#), "\(env)")
        let two = message("From: Name <@a.org,@b.org:user@domain>\n\nx\n").envelope.from
        #expect(two == [EnvelopeAddress(name: "Name", adl: "@a.org,@b.org", mailbox: "user", host: "domain")])
    }

    // MARK: SEARCH FROM/TO/CC/BCC (imaptest search-addresses)

    @Test(arguments: [
        ("user-from@domain.org", [1, 2, 3, 4]),
        ("realfrom", [2, 4]),
        ("ser-fro", [1, 2, 3, 4, 5]),
        ("user-from1", [5]),
    ])
    func addressSearchesMatchTheParsedAddress(_ text: String, _ expected: [UInt32]) {
        let froms = ["user-from@domain.org", "RealFrom <user-from@domain.org>", "<user-from (comment)@ (comment) domain.org>",
                     "user-from@domain.org (RealFrom)", "user-from1@domain.org, user-from2@domain.org"]
        let messages = froms.enumerated().map { index, from in
            ParsedSearchableMessage(sequenceNumber: UInt32(index + 1), uid: UInt32(index + 1), flags: [], internalDate: Date(),
                                    message: message("From: \(from)\n\nbody\n"))
        }
        let context = SearchContext(messageCount: 5, maxUID: 5, timeZone: TimeZone(identifier: "UTC")!)
        #expect(SearchEvaluator.search(.from(text), in: messages, context: context, uid: false) == expected)
    }

    @Test func groupsAreSearchableByName() {
        let to = message("To: groupname: groupuser1@domain.org, groupuser2@domain.org;,\n  groupname2: groupuser3@domain.org;\n\nx\n")
        let m = ParsedSearchableMessage(sequenceNumber: 1, uid: 1, flags: [], internalDate: Date(), message: to)
        let context = SearchContext(messageCount: 1, maxUID: 1, timeZone: TimeZone(identifier: "UTC")!)
        for (text, hit) in [("groupname2", true), ("groupuser3", true), ("groupuser4", false)] {
            #expect(SearchEvaluator.matches(.to(text), m, context: context) == hit, "\(text)")
        }
    }

    // MARK: BODYSTRUCTURE of nested multiparts that reuse a boundary

    /// CPython's msg_15: multipart/mixed whose first part is a multipart/alternative with the
    /// same boundary; the GIF attachment after the alternative's close delimiter is the
    /// mixed's second part (Dovecot's reading), not lost.
    @Test func anInnerMultipartWithTheParentsBoundaryLosesNoPart() throws {
        let msg = MIMEMessage(try Fixtures.mime("msg_15.txt"))
        #expect(shape(msg.bodyStructure) == "MIXED[ALTERNATIVE[TEXT/PLAIN TEXT/HTML] IMAGE/GIF]")
        let section = try #require(msg.section(SectionSpec(part: [2], text: .mime)))
        #expect(section.text.contains("image/gif"), "\(section.text)")
    }

    /// CPython's msg_39: three alternatives inside a mixed, all with the mixed's boundary.
    @Test func everyAlternativeOfMsg39IsFound() throws {
        let msg = MIMEMessage(try Fixtures.mime("msg_39.txt"))
        #expect(shape(msg.bodyStructure) == "MIXED[MIXED[ALTERNATIVE[APPLICATION/OCTET-STREAM APPLICATION/OCTET-STREAM] "
            + "ALTERNATIVE[APPLICATION/OCTET-STREAM APPLICATION/OCTET-STREAM] "
            + "ALTERNATIVE[APPLICATION/OCTET-STREAM APPLICATION/OCTET-STREAM]] TEXT/PLAIN]")
        #expect(descriptions(msg.bodyStructure) == ["patch1", "patch2", "patch3", "patch4", "patch5", "patch6"])
    }

    @Test func anOuterDelimiterEndsAnUnclosedInnerMultipart() {
        let msg = message("Content-Type: multipart/mixed; boundary=out\n\n--out\nContent-Type: multipart/alternative; boundary=in\n\n"
            + "--in\n\ninner text\n--out\nContent-Type: text/html\n\n<p>x</p>\n--out--\n")
        #expect(shape(msg.bodyStructure) == "MIXED[ALTERNATIVE[TEXT/PLAIN] TEXT/HTML]")
    }

    /// A text part without charset is ("CHARSET" "us-ascii") with or without a Content-Type.
    @Test func textWithoutCharsetIsUSASCIIEitherWay() {
        for header in ["Content-Type: text/plain\n", "", "Content-Type: text/x-myown\n"] {
            let body = written { $0.body(message(header + "\nhello\n").bodyStructure, extensions: false) }
            #expect(body.hasPrefix(#"("TEXT" ""#) && body.contains(#"("CHARSET" "us-ascii") NIL NIL "7BIT" 7 1)"#), "\(header): \(body)")
        }
    }
}
