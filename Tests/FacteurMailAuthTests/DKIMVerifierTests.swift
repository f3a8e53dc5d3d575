import FacteurDNS
import Foundation
import Testing
@testable import FacteurMailAuth

/// DKIM verification against the RFC 8463 example and against messages signed by dkimpy.
struct DKIMVerifierTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let repository = fixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    static func publicKey(_ name: String) throws -> String {
        String(decoding: try fixture("dkim/\(name).pub"), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Signs `message` with dkimpy (Fixtures/dkim_sign.py) and returns the signed message.
    static func dkimpySign(_ message: String, key: String, selector: String = "sel", domain: String = "example.org",
                           algorithm: String = "rsa-sha256", canonicalization: String = "relaxed/relaxed",
                           length: Bool = false) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", fixtures.appendingPathComponent("dkim_sign.py").path,
                             fixtures.appendingPathComponent("dkim/\(key).key").path, selector, domain, algorithm,
                             canonicalization, length ? "1" : "0"]
        var environment = ProcessInfo.processInfo.environment
        let pydeps = repository.appendingPathComponent(".build-pydeps").path
        environment["PYTHONPATH"] = pydeps + (environment["PYTHONPATH"].map { ":" + $0 } ?? "")
        process.environment = environment
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data(message.utf8))
        try input.fileHandleForWriting.close()
        let signed = output.fileHandleForReading.readDataToEndOfFile()
        let problem = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SignError(text: "dkimpy failed (install it with scripts/test): " + String(decoding: problem, as: UTF8.self))
        }
        return Array(signed)
    }

    struct SignError: Error, CustomStringConvertible { var text: String; var description: String { text } }

    static let message = "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: Lunch\r\n"
        + "Date: Fri, 04 Dec 2026 10:00:00 +0000\r\nMessage-ID: <1@example.org>\r\n\r\n"
        + "Shall we  meet at noon?  \r\n\r\n-- \r\nAlice\r\n\r\n\r\n"

    func resolver(_ records: [String: [ZoneResolver.Record]]) -> ZoneResolver { ZoneResolver(records) }

    func keys() throws -> ZoneResolver {
        var zone: [String: [ZoneResolver.Record]] = [:]
        for bits in [512, 1024, 2048, 4096] {
            zone["rsa\(bits)._domainkey.example.org"] = [.txt(["v=DKIM1; k=rsa; p=" + (try Self.publicKey("rsa\(bits)"))])]
        }
        zone["ed._domainkey.example.org"] = [.txt(["v=DKIM1; k=ed25519; p=" + (try Self.publicKey("ed25519"))])]
        zone["revoked._domainkey.example.org"] = [.txt(["v=DKIM1; p="])]
        zone["slow._domainkey.example.org"] = [.timeout]
        return ZoneResolver(zone)
    }

    // MARK: RFC 8463 Appendix A

    @Test func rfc8463ExampleVerifiesBothSignatures() async throws {
        let message = try Self.fixture("dkim/rfc8463-example.msg")
        // RFC 8463 Appendix A.2: the keys of the example.
        let zone = resolver([
            "brisbane._domainkey.football.example.com": [.txt(["v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="])],
            "test._domainkey.football.example.com": [.txt([
                "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWR",
                "iGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutAC",
                "DfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3",
                "Ip3G+2kryOTIKT+l/K4w3QIDAQAB"])],
        ])
        let outcomes = await DKIMVerifier(resolver: zone).verify(message, now: now)
        #expect(outcomes.map(\.result) == [.pass, .pass], "\(outcomes.map { $0.reason ?? "" })")
        #expect(outcomes.map(\.algorithm) == ["ed25519-sha256", "rsa-sha256"])
        #expect(outcomes.allSatisfy { $0.domain == "football.example.com" })
    }

    @Test func rfc8463ExampleFailsWhenTheBodyChanges() async throws {
        var text = String(decoding: try Self.fixture("dkim/rfc8463-example.msg"), as: UTF8.self)
        text = text.replacingOccurrences(of: "We lost the game.", with: "We won the game.")
        let zone = resolver([
            "brisbane._domainkey.football.example.com": [.txt(["v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="])],
        ])
        let outcomes = await DKIMVerifier(resolver: zone).verify(Array(text.utf8), now: now)
        #expect(outcomes.first?.result == .fail)
        #expect(outcomes.first?.reason == "body hash did not verify")
    }

    // MARK: Signed by dkimpy

    static let signers: [(key: String, selector: String, algorithm: String)] = [
        ("rsa1024", "rsa1024", "rsa-sha256"), ("rsa2048", "rsa2048", "rsa-sha256"),
        ("rsa4096", "rsa4096", "rsa-sha256"), ("ed25519", "ed", "ed25519-sha256"),
    ]
    static let canonicalizations = ["simple/simple", "relaxed/relaxed", "simple/relaxed", "relaxed/simple"]

    @Test(arguments: signers.indices, canonicalizations)
    func dkimpySignaturesVerify(signer: Int, canonicalization: String) async throws {
        let (key, selector, algorithm) = Self.signers[signer]
        let signed = try Self.dkimpySign(Self.message, key: key, selector: selector, algorithm: algorithm,
                                         canonicalization: canonicalization)
        let verifier = DKIMVerifier(resolver: try keys())
        let outcome = try #require(await verifier.verify(signed, now: now).first)
        #expect(outcome.result == .pass, "\(key) \(canonicalization): \(outcome.reason ?? "")")
        #expect(outcome.domain == "example.org" && outcome.selector == selector && outcome.algorithm == algorithm)

        // A changed header or body breaks it.
        let forgedSubject = Array(String(decoding: signed, as: UTF8.self).replacingOccurrences(of: "Subject: Lunch", with: "Subject: Dinner").utf8)
        #expect(await verifier.verify(forgedSubject, now: now).first?.result == .fail)
        let forgedBody = Array(String(decoding: signed, as: UTF8.self).replacingOccurrences(of: "noon", with: "nine").utf8)
        #expect(await verifier.verify(forgedBody, now: now).first?.result == .fail)
    }

    @Test func relaxedSurvivesWhitespaceAndFoldingChanges() async throws {
        let signed = try Self.dkimpySign(Self.message, key: "rsa2048", selector: "rsa2048", canonicalization: "relaxed/relaxed")
        let text = String(decoding: signed, as: UTF8.self)
            .replacingOccurrences(of: "Subject: Lunch", with: "subject:   Lunch ")
            .replacingOccurrences(of: "Shall we  meet", with: "Shall we \t meet")
        let outcome = try #require(await DKIMVerifier(resolver: try keys()).verify(Array(text.utf8), now: now).first)
        #expect(outcome.result == .pass, "\(outcome.reason ?? "")")
    }

    @Test func bodyPastLengthIsNotedNotTrusted() async throws {
        let signed = try Self.dkimpySign(Self.message, key: "ed25519", selector: "ed", algorithm: "ed25519-sha256",
                                         canonicalization: "relaxed/relaxed", length: true)
        let appended = signed + Array("Click here: http://phish.example/\r\n".utf8)
        let outcome = try #require(await DKIMVerifier(resolver: try keys()).verify(appended, now: now).first)
        #expect(outcome.result == .pass)
        #expect(outcome.reason?.contains("past l= not signed") == true)
        // l= longer than the body is an error, not a pass.
        let truncated = Array(String(decoding: signed, as: UTF8.self).replacingOccurrences(of: "-- \r\nAlice\r\n", with: "").utf8)
        #expect(await DKIMVerifier(resolver: try keys()).verify(truncated, now: now).first?.result == .permerror)
    }

    @Test func rsaSHA1IsAPolicyFailure() async throws {
        let signed = try Self.dkimpySign(Self.message, key: "rsa2048", selector: "rsa2048", algorithm: "rsa-sha1")
        let outcome = try #require(await DKIMVerifier(resolver: try keys()).verify(signed, now: now).first)
        #expect(outcome.result == .policy)
    }

    @Test func shortRSAKeyIsRefused() async throws {
        // dkimpy refuses to sign with 512 bits: reuse a 1024-bit signature under the 512-bit key's name.
        let signed = try Self.dkimpySign(Self.message, key: "rsa1024", selector: "rsa512")
        let outcome = try #require(await DKIMVerifier(resolver: try keys()).verify(signed, now: now).first)
        #expect(outcome.result == .permerror)
    }

    @Test func keyProblems() async throws {
        let revoked = try Self.dkimpySign(Self.message, key: "rsa2048", selector: "revoked")
        let missing = try Self.dkimpySign(Self.message, key: "rsa2048", selector: "missing")
        let slow = try Self.dkimpySign(Self.message, key: "rsa2048", selector: "slow")
        let wrongKey = try Self.dkimpySign(Self.message, key: "rsa2048", selector: "rsa4096")
        let verifier = DKIMVerifier(resolver: try keys())
        #expect(await verifier.verify(revoked, now: now).first?.result == .permerror)
        #expect(await verifier.verify(missing, now: now).first?.result == .permerror)
        #expect(await verifier.verify(slow, now: now).first?.result == .temperror)
        #expect(await verifier.verify(wrongKey, now: now).first?.result == .fail)
    }

    @Test func severalSignaturesAreEachReported() async throws {
        let first = try Self.dkimpySign(Self.message, key: "ed25519", selector: "ed", algorithm: "ed25519-sha256")
        let both = try Self.dkimpySign(String(decoding: first, as: UTF8.self), key: "rsa2048", selector: "missing")
        let outcomes = await DKIMVerifier(resolver: try keys()).verify(both, now: now)
        #expect(outcomes.map(\.result) == [.permerror, .pass])
        #expect(outcomes.map(\.selector) == ["missing", "ed"])
    }

    @Test func unsignedMessageHasNoOutcome() async throws {
        #expect(await DKIMVerifier(resolver: try keys()).verify(Array(Self.message.utf8), now: now).isEmpty)
    }

    @Test func expiredSignatureFails() async throws {
        let signed = try Self.dkimpySign(Self.message, key: "ed25519", selector: "ed", algorithm: "ed25519-sha256")
        var text = String(decoding: signed, as: UTF8.self)
        // x= is signed, so adding it breaks the signature too; the verdict must say expired first.
        text = text.replacingOccurrences(of: "q=dns/txt;", with: "q=dns/txt; x=1799999999;")
        let outcome = try #require(await DKIMVerifier(resolver: try keys()).verify(Array(text.utf8), now: now).first)
        #expect(outcome.result == .fail)
        #expect(outcome.reason == "signature expired")
    }
}
