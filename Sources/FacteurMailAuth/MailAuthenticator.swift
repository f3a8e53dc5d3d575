import FacteurNet
import FacteurDNS
import Foundation

/// One message to check, as the SMTP receiver saw it.
public struct MailAuthRequest: Sendable {
    public var client: IPAddress
    public var helo: String
    /// Reverse-path ("" for the null sender).
    public var mailFrom: String
    /// The message as received (without our trace fields).
    public var message: [UInt8]
    public var now: Date

    public init(client: IPAddress, helo: String, mailFrom: String, message: [UInt8], now: Date) {
        self.client = client; self.helo = helo; self.mailFrom = mailFrom; self.message = message; self.now = now
    }
}

/// The results of all checks and the decision.
public struct MailAuthReport: Sendable {
    public var results: AuthenticationResults
    public var verdict: MailAuthVerdict
}

/// SPF, DKIM and DMARC for one message, their DNS lookups concurrent, then the policy.
public struct MailAuthenticator: Sendable {
    public var resolver: any DNSLookupService
    public var suffixes: PublicSuffixList
    /// Our host name: the authserv-id of Authentication-Results and SPF's %{r}.
    public var hostname: String
    public var policy: MailAuthPolicy
    /// A number in 0..<100 for DMARC pct= sampling.
    public var sample: @Sendable () -> Int

    public init(resolver: any DNSLookupService, suffixes: PublicSuffixList, hostname: String, policy: MailAuthPolicy,
                sample: @escaping @Sendable () -> Int = { Int.random(in: 0..<100) }) {
        self.resolver = resolver; self.suffixes = suffixes; self.hostname = hostname; self.policy = policy
        self.sample = sample
    }

    public func check(_ request: MailAuthRequest) async -> MailAuthReport {
        let header = MessageHeader(request.message)
        let from = FromDomain.domain(in: header)
        let dmarc = DMARCEvaluator(resolver: resolver, suffixes: suffixes)
        let spfRequest = SPFRequest(client: request.client, helo: request.helo, mailFrom: request.mailFrom,
                                    receiver: hostname, now: request.now)
        async let spfOutcome = SPFEvaluator(resolver: resolver).check(spfRequest)
        async let dkimOutcomes = DKIMVerifier(resolver: resolver).verify(request.message, now: request.now)
        async let record: DMARCEvaluator.RecordLookup? = {
            guard case .success(let domain) = from else { return nil }
            return await dmarc.lookupRecord(fromDomain: domain)
        }()
        let spf = await spfOutcome, dkim = await dkimOutcomes
        let dmarcOutcome: DMARCOutcome
        var ownDomainAuthenticated: Bool?
        var fromDomain: String?
        switch from {
        case .success(let domain):
            fromDomain = domain
            let lookup = await record ?? .none
            dmarcOutcome = dmarc.evaluate(fromDomain: domain, lookup: lookup, spf: spf, dkim: dkim, sample: sample())
            if isLocal(domain) {
                // Our own domain: authenticated only by an aligned pass, whatever DMARC record exists.
                let aligned = dmarcOutcome.result == .pass
                    || (spf.result == .pass && dmarc.aligned(spf.domain, domain, .relaxed))
                    || dkim.contains { $0.result == .pass && dmarc.aligned($0.domain, domain, .relaxed) }
                ownDomainAuthenticated = aligned
            }
        case .failure(let problem):
            _ = await record
            let reason: String
            switch problem {
            case .fieldCount(let n): reason = "\(n) From fields"
            case .unparsable: reason = "From field without one address"
            }
            dmarcOutcome = DMARCOutcome(result: .permerror, fromDomain: "", reason: reason)
        }
        let results = AuthenticationResults(authservID: hostname, spf: spf, dkim: dkim, dmarc: dmarcOutcome)
        return MailAuthReport(results: results,
                              verdict: policy.verdict(results, ownDomainAuthenticated: ownDomainAuthenticated, fromDomain: fromDomain))
    }

    func isLocal(_ domain: String) -> Bool {
        policy.localDomains.contains(domain) || policy.localDomains.contains(suffixes.organizationalDomain(domain))
    }
}
