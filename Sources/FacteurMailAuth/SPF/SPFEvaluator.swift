import FacteurNet
import FacteurDNS
import Foundation

/// check_host() of RFC 7208 §4 over an injected resolver. One value per check: it counts the
/// DNS-querying terms and void lookups across includes and redirects (§4.6.4).
public struct SPFEvaluator: Sendable {
    public var resolver: any DNSLookupService
    /// The explanation of a fail when the domain gives none (§6.2 leaves it to the receiver).
    public var defaultExplanation: String?

    public init(resolver: any DNSLookupService, defaultExplanation: String? = nil) {
        self.resolver = resolver
        self.defaultExplanation = defaultExplanation
    }

    /// Checks the request's identity: MAIL FROM, or the HELO name for the null sender (§2.4).
    public func check(_ request: SPFRequest) async -> SPFOutcome {
        let sender = request.sender
        var run = Run(request: request, resolver: resolver)
        let domain = sender.domain
        // §4.3: a malformed or single-label domain gives "none" without any lookup.
        guard Self.isValidDomain(domain) else {
            return SPFOutcome(result: .none, identity: request.identity, domain: domain, reason: "not a valid domain name")
        }
        let (result, explanation, reason) = await run.checkHost(domain: domain.lowercased(), depth: 0)
        var outcome = SPFOutcome(result: result, identity: request.identity, domain: domain, reason: reason)
        if result == .fail { outcome.explanation = explanation ?? defaultExplanation }
        return outcome
    }

    /// §4.3: labels of 1…63 octets, at least two of them, no domain literal.
    static func isValidDomain(_ domain: String) -> Bool {
        var name = Substring(domain)
        if name.hasSuffix(".") { name = name.dropLast() }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, name.utf8.count <= MailAuthLimits.domainNameLength else { return false }
        return labels.allSatisfy { !$0.isEmpty && $0.utf8.count <= 63 && !$0.contains("[") && !$0.contains(" ") }
    }

    /// The state of one evaluation, shared by its includes and redirects.
    struct Run {
        let request: SPFRequest
        let resolver: any DNSLookupService
        var dnsTerms = 0
        var voidLookups = 0

        init(request: SPFRequest, resolver: any DNSLookupService) {
            self.request = request
            self.resolver = resolver
        }

        enum Failure: Error {
            case temporary(String)
            case permanent(String)
        }

        /// check_host(): (result, explanation of a fail, reason).
        mutating func checkHost(domain: String, depth: Int) async -> (SPFResult, String?, String?) {
            do {
                return try await evaluate(domain: domain, depth: depth)
            } catch {
                switch error {
                case .temporary(let why): return (.temperror, nil, why)
                case .permanent(let why): return (.permerror, nil, why)
                }
            }
        }

        mutating func evaluate(domain: String, depth: Int) async throws(Failure) -> (SPFResult, String?, String?) {
            guard depth <= MailAuthLimits.spfDNSTerms + 1 else { throw .permanent("include/redirect loop") }
            // §4.4: record lookup.
            let texts: [String]
            do {
                texts = try await resolver.lookupTXT(domain)
            } catch {
                switch error {
                case .nameDoesNotExist, .noData, .invalidName: return (.none, nil, "no SPF record at \(domain)")
                default: throw .temporary("DNS error looking up \(domain): \(error.summary)")
                }
            }
            let records = texts.filter(SPFRecord.isSPF)
            guard !records.isEmpty else { return (.none, nil, "no SPF record at \(domain)") }
            guard records.count == 1 else { throw .permanent("\(domain) has \(records.count) SPF records") }
            let record: SPFRecord
            switch SPFRecord.parse(records[0]) {
            case .success(let parsed): record = parsed
            case .failure(let error): throw .permanent("\(domain): \(error)")
            }
            for directive in record.directives {
                if directive.mechanism.queriesDNS { try countTerm() }
                if try await matches(directive.mechanism, domain: domain, depth: depth) {
                    let result = directive.qualifier.result
                    var explanation: String?
                    if result == .fail, let exp = record.explanation { explanation = await explain(exp, domain: domain) }
                    return (result, explanation, "\(domain) matched \(directive.qualifier.rawValue)\(directive.mechanism.label)")
                }
            }
            if let redirect = record.redirect {
                try countTerm()
                let target = try await expandDomain(redirect, domain: domain)
                guard SPFEvaluator.isValidDomain(target) else { throw .permanent("redirect to invalid domain \(target)") }
                let (result, explanation, reason) = try await evaluate(domain: target, depth: depth + 1)
                // §6.1: a redirect to a domain without a record is a permerror.
                if result == .none { throw .permanent("redirect target \(target) has no SPF record") }
                return (result, explanation, reason)
            }
            return (.neutral, nil, "\(domain): no mechanism matched")
        }

        mutating func countTerm() throws(Failure) {
            dnsTerms += 1
            if dnsTerms > MailAuthLimits.spfDNSTerms { throw .permanent("more than \(MailAuthLimits.spfDNSTerms) DNS-querying terms") }
        }

        mutating func void() throws(Failure) {
            voidLookups += 1
            if voidLookups > MailAuthLimits.spfVoidLookups { throw .permanent("more than \(MailAuthLimits.spfVoidLookups) void lookups") }
        }

        mutating func matches(_ mechanism: SPFMechanism, domain: String, depth: Int) async throws(Failure) -> Bool {
            let client = request.client
            switch mechanism {
            case .all:
                return true
            case .ip(let network):
                // An IPv4 client only ever matches ip4 terms, an IPv6 client ip6 ones.
                return network.isIPv4 == client.isIPv4 && network.contains(client)
            case .include(let spec):
                let target = try await expandDomain(spec, domain: domain)
                guard SPFEvaluator.isValidDomain(target) else { throw .permanent("include of invalid domain \(target)") }
                let (result, _, reason) = try await evaluate(domain: target, depth: depth + 1)
                switch result {
                case .pass: return true
                case .fail, .softfail, .neutral: return false
                case .temperror: throw .temporary(reason ?? "temporary error in include:\(target)")
                case .permerror, .none: throw .permanent(reason ?? "include:\(target) has no usable record")
                }
            case .a(let spec, let cidr4, let cidr6):
                let target = try await expandDomain(spec, domain: domain)
                guard let addresses = try await addresses(of: target, countVoid: true) else { return false }
                return addresses.contains { client.matches($0, prefix: client.isIPv4 ? cidr4 : cidr6) }
            case .mx(let spec, let cidr4, let cidr6):
                let target = try await expandDomain(spec, domain: domain)
                let exchanges: [DNSMailExchange]
                do {
                    exchanges = try await resolver.lookupMX(target)
                } catch {
                    try handleLookupError(error, target)
                    return false
                }
                guard exchanges.count <= MailAuthLimits.spfNamesPerMechanism else {
                    throw .permanent("\(target) has more than \(MailAuthLimits.spfNamesPerMechanism) MX records")
                }
                for exchange in exchanges where !exchange.exchange.isEmpty && exchange.exchange != "." {
                    guard let addresses = try await addresses(of: exchange.exchange, countVoid: false) else { continue }
                    if addresses.contains(where: { client.matches($0, prefix: client.isIPv4 ? cidr4 : cidr6) }) { return true }
                }
                return false
            case .ptr(let spec):
                let target = try await expandDomain(spec, domain: domain).lowercased()
                let names = await validatedNames()
                return names.contains { $0 == target || $0.hasSuffix("." + target) }
            case .exists(let spec):
                let target = try await expandDomain(spec, domain: domain)
                do {
                    // §5.7: always an A query, whatever the client's address family.
                    return try await !resolver.lookupA(target).isEmpty
                } catch {
                    try handleLookupError(error, target)
                    return false
                }
            }
        }

        /// A or AAAA records of `name` for the client's family; nil when there are none.
        mutating func addresses(of name: String, countVoid: Bool) async throws(Failure) -> [IPAddress]? {
            let texts: [String]
            do {
                texts = request.client.isIPv4 ? try await resolver.lookupA(name) : try await resolver.lookupAAAA(name)
            } catch {
                if countVoid {
                    try handleLookupError(error, name)
                } else if case .temporary(let why) = Self.classify(error, name) {
                    throw .temporary(why)
                }
                return nil
            }
            let parsed = texts.compactMap(IPAddress.init)
            if parsed.isEmpty, countVoid { try void() }
            return parsed
        }

        /// NXDOMAIN and NODATA are void lookups (§4.6.4); other errors are temperrors (§5).
        mutating func handleLookupError(_ error: DNSLookupError, _ name: String) throws(Failure) {
            switch Self.classify(error, name) {
            case .void: try void()
            case .temporary(let why): throw .temporary(why)
            }
        }

        enum LookupFailure { case void, temporary(String) }

        static func classify(_ error: DNSLookupError, _ name: String) -> LookupFailure {
            switch error {
            case .nameDoesNotExist, .noData, .invalidName: .void
            default: .temporary("DNS error looking up \(name): \(error.summary)")
            }
        }

        /// The client's PTR names confirmed by a forward lookup (§5.5), lowercased, at most 10.
        func validatedNames() async -> [String] {
            guard let names = try? await resolver.lookupPTR(request.client.description) else { return [] }
            var confirmed: [String] = []
            for name in names.prefix(MailAuthLimits.spfNamesPerMechanism) {
                let lookup = request.client.isIPv4 ? try? await resolver.lookupA(name) : try? await resolver.lookupAAAA(name)
                if let addresses = lookup, addresses.compactMap(IPAddress.init).contains(request.client) {
                    var lowered = name.lowercased()
                    if lowered.hasSuffix(".") { lowered.removeLast() }
                    confirmed.append(lowered)
                }
            }
            return confirmed
        }

        /// Expands a domain-spec (nil: the current domain) and shortens it to 253 octets (§4.8, §7.3).
        mutating func expandDomain(_ spec: SPFMacroString?, domain: String) async throws(Failure) -> String {
            guard let spec else { return domain }
            var name = try await expand(spec, domain: domain)
            if name.hasSuffix(".") { name.removeLast() }
            while name.utf8.count > MailAuthLimits.domainNameLength, let dot = name.firstIndex(of: ".") {
                name = String(name[name.index(after: dot)...])
            }
            return name
        }

        func expand(_ spec: SPFMacroString, domain: String) async throws(Failure) -> String {
            var out = ""
            for token in spec.tokens {
                switch token {
                case .literal(let text): out += text
                case .macro(let macro):
                    out += SPFMacroString.transform(await value(of: macro.letter, domain: domain), macro)
                }
                guard out.utf8.count <= MailAuthLimits.macroExpansionBytes else { throw .permanent("macro expansion too long") }
            }
            return out
        }

        /// The value of a macro letter (§7.2).
        func value(of letter: Character, domain: String) async -> String {
            let sender = request.sender
            switch letter {
            case "s": return "\(sender.local)@\(sender.domain)"
            case "l": return sender.local
            case "o": return sender.domain
            case "d": return domain
            case "i":
                if request.client.isIPv4 { return request.client.description }
                // Dot-separated nibbles; upper case as the RFC 7208 test suite expects (DNS ignores case).
                return ReverseName.reversedLabels(of: request.client).reversed().joined(separator: ".").uppercased()
            case "p":
                let names = await validatedNames()
                return names.first { $0 == domain || $0.hasSuffix("." + domain) } ?? names.first ?? "unknown"
            case "v": return request.client.isIPv4 ? "in-addr" : "ip6"
            case "h": return request.helo
            case "c": return request.client.description
            case "r": return request.receiver.isEmpty ? "unknown" : request.receiver
            case "t": return String(Int(request.now.timeIntervalSince1970))
            default: return ""
            }
        }

        /// The explanation of a fail (§6.2): one TXT record at the exp domain, macro-expanded.
        /// Any problem gives no explanation (the default one is used).
        mutating func explain(_ spec: SPFMacroString, domain: String) async -> String? {
            guard let target = try? await expandDomain(spec, domain: domain),
                  let texts = try? await resolver.lookupTXT(target), texts.count == 1,
                  let string = SPFMacroString(texts[0], explanation: true),
                  let text = try? await expand(string, domain: domain) else { return nil }
            return String(text.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F }.map(Character.init))
        }
    }
}

extension SPFMechanism {
    var label: String {
        switch self {
        case .all: "all"
        case .include(let s): "include:\(s.text)"
        case .a(let s, _, _): s.map { "a:\($0.text)" } ?? "a"
        case .mx(let s, _, _): s.map { "mx:\($0.text)" } ?? "mx"
        case .ptr(let s): s.map { "ptr:\($0.text)" } ?? "ptr"
        case .ip(let network): "\(network.isIPv4 ? "ip4" : "ip6"):\(network)"
        case .exists(let s): "exists:\(s.text)"
        }
    }
}
