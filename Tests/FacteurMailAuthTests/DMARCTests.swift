import FacteurDNS
import Foundation
import Testing
@testable import FacteurMailAuth

struct PublicSuffixListTests {
    static let list = PublicSuffixList(text: """
        // comment
        com
        uk
        co.uk
        jp
        *.kawasaki.jp
        !city.kawasaki.jp
        *.ck
        !www.ck
        """)

    @Test(arguments: [
        ("example.com", "example.com"), ("mail.example.com", "example.com"), ("a.b.example.co.uk", "example.co.uk"),
        ("co.uk", "co.uk"), ("com", "com"), ("Example.COM.", "example.com"), ("www.city.kawasaki.jp", "city.kawasaki.jp"),
        ("a.b.kawasaki.jp", "a.b.kawasaki.jp"), ("x.y.foo.ck", "y.foo.ck"), ("www.ck", "www.ck"), ("a.b.unknowntld", "b.unknowntld"),
    ])
    func organizationalDomain(_ domain: String, _ expected: String) {
        #expect(Self.list.organizationalDomain(domain) == expected)
    }

    @Test func debianListLoadsWhenInstalled() throws {
        guard FileManager.default.fileExists(atPath: PublicSuffixList.defaultPath) else { return }
        let list = try PublicSuffixList(contentsOf: PublicSuffixList.defaultPath)
        #expect(list.organizationalDomain("mail.example.co.uk") == "example.co.uk")
        #expect(list.organizationalDomain("a.b.example.github.io") == "example.github.io")
    }
}

struct DMARCTests {
    let suffixes = PublicSuffixListTests.list

    func outcome(from: String, records: [String: [ZoneResolver.Record]], spf: SPFOutcome, dkim: [DKIMOutcome] = [],
                 sample: Int = 0) async -> DMARCOutcome {
        let evaluator = DMARCEvaluator(resolver: ZoneResolver(records), suffixes: suffixes)
        let lookup = await evaluator.lookupRecord(fromDomain: from)
        return evaluator.evaluate(fromDomain: from, lookup: lookup, spf: spf, dkim: dkim, sample: sample)
    }

    func spf(_ result: SPFResult, _ domain: String) -> SPFOutcome { SPFOutcome(result: result, identity: .mailfrom, domain: domain) }
    func dkim(_ result: DKIMResult, _ domain: String) -> DKIMOutcome { DKIMOutcome(result: result, domain: domain) }

    static let reject: [String: [ZoneResolver.Record]] = ["_dmarc.example.com": [.txt(["v=DMARC1; p=reject; sp=quarantine"])]]

    struct AlignmentCase: Sendable, CustomTestStringConvertible {
        var from: String, record: String, spfDomain: String?, dkimDomain: String?, expected: DMARCResult
        var testDescription: String { "\(from) \(record) spf=\(spfDomain ?? "-") dkim=\(dkimDomain ?? "-")" }
    }

    @Test(arguments: [
        AlignmentCase(from: "example.com", record: "v=DMARC1; p=reject", spfDomain: "example.com", dkimDomain: nil, expected: .pass),
        AlignmentCase(from: "example.com", record: "v=DMARC1; p=reject", spfDomain: "bounce.example.com", dkimDomain: nil, expected: .pass),
        AlignmentCase(from: "example.com", record: "v=DMARC1; p=reject; aspf=s", spfDomain: "bounce.example.com", dkimDomain: nil, expected: .fail),
        AlignmentCase(from: "example.com", record: "v=DMARC1; p=reject", spfDomain: "other.com", dkimDomain: nil, expected: .fail),
        AlignmentCase(from: "example.com", record: "v=DMARC1; p=reject", spfDomain: nil, dkimDomain: "mail.example.com", expected: .pass),
        AlignmentCase(from: "example.com", record: "v=DMARC1; p=reject; adkim=s", spfDomain: nil, dkimDomain: "mail.example.com", expected: .fail),
        AlignmentCase(from: "example.com", record: "v=DMARC1; p=reject; adkim=s", spfDomain: nil, dkimDomain: "example.com", expected: .pass),
        AlignmentCase(from: "example.com", record: "v=DMARC1; p=reject", spfDomain: "other.com", dkimDomain: "other.com", expected: .fail),
        // Public suffixes are never aligned with each other's customers.
        AlignmentCase(from: "a.co.uk", record: "v=DMARC1; p=reject", spfDomain: "b.co.uk", dkimDomain: nil, expected: .fail),
        AlignmentCase(from: "shop.a.co.uk", record: "v=DMARC1; p=reject", spfDomain: "a.co.uk", dkimDomain: nil, expected: .pass),
    ])
    func alignment(_ c: AlignmentCase) async {
        let orgDomain = suffixes.organizationalDomain(c.from)
        let records: [String: [ZoneResolver.Record]] = ["_dmarc.\(orgDomain)": [.txt([c.record])]]
        let result = await outcome(from: c.from, records: records,
                                   spf: c.spfDomain.map { spf(.pass, $0) } ?? spf(.none, ""),
                                   dkim: c.dkimDomain.map { [dkim(.pass, $0)] } ?? [])
        #expect(result.result == c.expected)
    }

    @Test func failingDKIMOrSPFDoesNotAlign() async {
        let result = await outcome(from: "example.com", records: Self.reject, spf: spf(.fail, "example.com"),
                                   dkim: [dkim(.fail, "example.com")])
        #expect(result.result == .fail)
        #expect(result.disposition == .reject)
    }

    @Test func subdomainPolicyFromTheOrganizationalRecord() async {
        let result = await outcome(from: "news.example.com", records: Self.reject, spf: spf(.none, ""))
        #expect(result.result == .fail)
        #expect(result.disposition == .quarantine)
        #expect(result.publishedPolicy == .reject)
    }

    @Test func recordAtTheFromDomainWins() async {
        var records = Self.reject
        records["_dmarc.news.example.com"] = [.txt(["v=DMARC1; p=none"])]
        let result = await outcome(from: "news.example.com", records: records, spf: spf(.none, ""))
        #expect(result.disposition == DMARCRecord.Policy.none)
    }

    @Test func percentSamplesTheDisposition() async {
        let records: [String: [ZoneResolver.Record]] = ["_dmarc.example.com": [.txt(["v=DMARC1; p=reject; pct=20"])]]
        #expect(await outcome(from: "example.com", records: records, spf: spf(.none, ""), sample: 19).disposition == .reject)
        #expect(await outcome(from: "example.com", records: records, spf: spf(.none, ""), sample: 20).disposition == .quarantine)
    }

    @Test func noRecordTemporaryErrorAndInvalidRecords() async {
        #expect(await outcome(from: "example.com", records: [:], spf: spf(.none, "")).result == DMARCResult.none)
        let slow: [String: [ZoneResolver.Record]] = ["_dmarc.example.com": [.timeout]]
        #expect(await outcome(from: "example.com", records: slow, spf: spf(.none, "")).result == .temperror)
        let two: [String: [ZoneResolver.Record]] = ["_dmarc.example.com": [.txt(["v=DMARC1; p=reject"]), .txt(["v=DMARC1; p=none"])]]
        #expect(await outcome(from: "example.com", records: two, spf: spf(.none, "")).result == DMARCResult.none)
        let notDMARC: [String: [ZoneResolver.Record]] = ["_dmarc.example.com": [.txt(["v=spf1 -all"])]]
        #expect(await outcome(from: "example.com", records: notDMARC, spf: spf(.none, "")).result == DMARCResult.none)
        let noPolicy: [String: [ZoneResolver.Record]] = ["_dmarc.example.com": [.txt(["v=DMARC1; rua=mailto:d@example.com"])]]
        #expect(await outcome(from: "example.com", records: noPolicy, spf: spf(.none, "")).publishedPolicy == DMARCRecord.Policy.none)
    }

    @Test(arguments: [
        ("From: Alice <alice@Example.COM>", "example.com"), ("From: alice@example.com (Alice)", "example.com"),
        ("From: \"Bob <bob@evil.example>\" <alice@example.com>", "example.com"),
        ("From:\r\n alice@example.com", "example.com"),
    ])
    func fromDomain(_ field: String, _ expected: String) throws {
        let header = MessageHeader(Array((field + "\r\nTo: x@y.z\r\n\r\nbody").utf8))
        #expect(try FromDomain.domain(in: header).get() == expected)
    }

    @Test func fromProblems() {
        let two = MessageHeader(Array("From: a@example.com\r\nFrom: b@evil.example\r\n\r\n".utf8))
        #expect(FromDomain.domain(in: two) == .failure(.fieldCount(2)))
        let list = MessageHeader(Array("From: a@example.com, b@evil.example\r\n\r\n".utf8))
        #expect(FromDomain.domain(in: list) == .failure(.unparsable))
        let none = MessageHeader(Array("Subject: x\r\n\r\n".utf8))
        #expect(FromDomain.domain(in: none) == .failure(.fieldCount(0)))
    }
}
