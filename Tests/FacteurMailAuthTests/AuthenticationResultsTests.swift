import FacteurDNS
import Foundation
import Testing
@testable import FacteurMailAuth

struct AuthenticationResultsTests {
    @Test func fieldListsEveryMethod() {
        let results = AuthenticationResults(
            authservID: "mx.example.net",
            spf: SPFOutcome(result: .pass, identity: .mailfrom, domain: "example.com"),
            dkim: [DKIMOutcome(result: .pass, domain: "example.com", selector: "sel", algorithm: "ed25519-sha256",
                               signaturePrefix: "abcdefgh")],
            dmarc: DMARCOutcome(result: .pass, fromDomain: "example.com", publishedPolicy: .reject))
        #expect(results.field == """
            Authentication-Results: mx.example.net;\r
            \tspf=pass smtp.mailfrom=example.com;\r
            \tdkim=pass header.d=example.com header.s=sel header.a=ed25519-sha256 header.b=abcdefgh;\r
            \tdmarc=pass (p=reject dis=none) header.from=example.com\r

            """)
        #expect(results.summary == "spf=pass dkim=pass dmarc=pass")
    }

    @Test func reasonsAreSafeComments() {
        let results = AuthenticationResults(
            authservID: "mx", spf: SPFOutcome(result: .permerror, identity: .helo, domain: "h.example", reason: "bad (term)\r\n"),
            dkim: [], dmarc: nil)
        #expect(results.clauses == ["spf=permerror (bad \\(term\\)  ) smtp.helo=h.example", "dkim=none"])
    }

    @Test func forgedFieldsWithOurIDAreRemoved() {
        let message = "Authentication-Results: MX.example.net; dkim=pass header.d=bank.example\r\n"
            + "Received: from x\r\n"
            + "Authentication-Results: (comment) mx.example.net;\r\n spf=pass\r\n"
            + "Authentication-Results: other.example; spf=fail\r\n"
            + "Authentication-Results: mx.example.net.evil; spf=pass\r\n"
            + "Subject: hi\r\n\r\nAuthentication-Results: mx.example.net; body line stays\r\n"
        let cleaned = String(decoding: AuthenticationResults.removingForged(from: Array(message.utf8), authservID: "mx.example.net"),
                             as: UTF8.self)
        #expect(cleaned == "Received: from x\r\n"
            + "Authentication-Results: other.example; spf=fail\r\n"
            + "Authentication-Results: mx.example.net.evil; spf=pass\r\n"
            + "Subject: hi\r\n\r\nAuthentication-Results: mx.example.net; body line stays\r\n")
    }
}

struct MailAuthPolicyTests {
    func results(spf: SPFResult = .pass, dkim: [DKIMResult] = [], dmarc: DMARCResult? = nil,
                 disposition: DMARCRecord.Policy = .none) -> AuthenticationResults {
        AuthenticationResults(authservID: "mx", spf: SPFOutcome(result: spf, identity: .mailfrom, domain: "example.com"),
                              dkim: dkim.map { DKIMOutcome(result: $0, domain: "example.com") },
                              dmarc: dmarc.map { DMARCOutcome(result: $0, fromDomain: "example.com", disposition: disposition) })
    }

    @Test func safeDefaults() {
        let policy = MailAuthPolicy()
        #expect(policy.verdict(results(dmarc: .pass), ownDomainAuthenticated: nil, fromDomain: nil) == .deliver(junk: false, rule: nil))
        guard case .reject(false, "dmarc", _) = policy.verdict(results(spf: .fail, dmarc: .fail, disposition: .reject),
                                                               ownDomainAuthenticated: nil, fromDomain: "example.com") else {
            Issue.record("p=reject failure must be rejected"); return
        }
        #expect(policy.verdict(results(spf: .none, dmarc: .fail, disposition: .quarantine), ownDomainAuthenticated: nil,
                               fromDomain: "example.com") == .deliver(junk: true, rule: "dmarc"))
        #expect(policy.verdict(results(spf: .fail), ownDomainAuthenticated: nil, fromDomain: nil) == .deliver(junk: true, rule: "spf"))
        #expect(policy.verdict(results(spf: .softfail), ownDomainAuthenticated: nil, fromDomain: nil) == .deliver(junk: false, rule: nil))
        guard case .reject(false, "forgery", _) = policy.verdict(results(spf: .none), ownDomainAuthenticated: false,
                                                                 fromDomain: "ours.example") else {
            Issue.record("own domain from outside must be rejected"); return
        }
    }

    @Test func dnsTroubleIsATemporaryFailureNeverASilentPass() {
        let policy = MailAuthPolicy()
        guard case .reject(true, "spf", _) = policy.verdict(results(spf: .temperror), ownDomainAuthenticated: nil, fromDomain: nil) else {
            Issue.record("SPF temperror must be 451"); return
        }
        guard case .reject(true, "dmarc", _) = policy.verdict(results(dmarc: .temperror), ownDomainAuthenticated: nil, fromDomain: nil) else {
            Issue.record("DMARC temperror must be 451"); return
        }
        guard case .reject(true, "dkim", _) = policy.verdict(results(spf: .none, dkim: [.temperror], dmarc: .fail, disposition: .reject),
                                                             ownDomainAuthenticated: nil, fromDomain: nil) else {
            Issue.record("a DKIM key we could not fetch may hide a DMARC pass"); return
        }
        // An aligned pass elsewhere settles it.
        #expect(policy.verdict(results(spf: .temperror, dmarc: .pass), ownDomainAuthenticated: nil, fromDomain: nil)
                == .deliver(junk: false, rule: nil))
        var lenient = policy
        lenient.tempfailOnDNSError = false
        #expect(lenient.verdict(results(spf: .temperror), ownDomainAuthenticated: nil, fromDomain: nil) == .deliver(junk: false, rule: nil))
    }

    @Test func configurableActions() {
        var policy = MailAuthPolicy()
        policy.dmarcReject = .junk
        policy.spfFail = .reject
        #expect(policy.verdict(results(spf: .none, dmarc: .fail, disposition: .reject), ownDomainAuthenticated: nil,
                               fromDomain: "example.com") == .deliver(junk: true, rule: "dmarc"))
        guard case .reject(false, "spf", _) = policy.verdict(results(spf: .fail), ownDomainAuthenticated: nil, fromDomain: nil) else {
            Issue.record("spf_fail = reject"); return
        }
    }
}
