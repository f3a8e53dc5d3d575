import Crypto
import _CryptoExtras
import FacteurDNS
import Foundation

/// Verifies the DKIM signatures of a message (RFC 6376 §6, RFC 8463, RFC 8301) with keys from
/// an injected resolver. Key lookups of several signatures run concurrently.
public struct DKIMVerifier: Sendable {
    public var resolver: any DNSLookupService

    public init(resolver: any DNSLookupService) { self.resolver = resolver }

    /// One outcome per DKIM-Signature field (up to `MailAuthLimits.dkimSignatures`), in header
    /// order; empty when the message is not signed.
    public func verify(_ message: [UInt8], now: Date) async -> [DKIMOutcome] {
        let header = MessageHeader(message)
        let signatures = Array(header.fields(named: "dkim-signature").prefix(MailAuthLimits.dkimSignatures))
        guard !signatures.isEmpty else { return [] }
        let body = message[min(header.bodyStart, message.count)...]
        // Body hashes are shared by signatures with the same canonicalisation.
        let simpleBody = signatures.contains { $0.value.lowercased().contains("/relaxed") } ? nil : DKIMCanonicalization.body(body, .simple)
        return await withTaskGroup(of: (Int, DKIMOutcome).self) { group in
            for (index, field) in signatures.enumerated() {
                group.addTask {
                    (index, await verify(field, header: header, body: body, simpleBody: simpleBody, now: now))
                }
            }
            var outcomes = [DKIMOutcome?](repeating: nil, count: signatures.count)
            for await (index, outcome) in group { outcomes[index] = outcome }
            return outcomes.compactMap { $0 }
        }
    }

    func verify(_ field: HeaderField, header: MessageHeader, body: ArraySlice<UInt8>, simpleBody: [UInt8]?,
                now: Date) async -> DKIMOutcome {
        let signature: DKIMSignature
        switch DKIMSignature.parse(field.value) {
        case .success(let parsed): signature = parsed
        case .failure(let problem):
            return DKIMOutcome(result: problem.result, domain: problem.domain, selector: problem.selector, reason: problem.reason)
        }
        var outcome = DKIMOutcome(result: .fail, domain: signature.domain, selector: signature.selector,
                                  algorithm: signature.algorithm.rawValue,
                                  identity: signature.identity == "@\(signature.domain)" ? nil : signature.identity,
                                  signaturePrefix: String(signature.signatureText.prefix(8)))
        func done(_ result: DKIMResult, _ reason: String?) -> DKIMOutcome {
            outcome.result = result
            outcome.reason = reason
            return outcome
        }
        if let x = signature.expiration, Double(x) < now.timeIntervalSince1970 {
            return done(.fail, "signature expired")
        }
        // §6.1.2: the key.
        let key: DKIMKey
        switch await fetchKey(signature) {
        case .success(let k): key = k
        case .failure(let problem): return done(problem.result, problem.reason)
        }
        if !key.hashes.isEmpty, !key.hashes.contains("sha256") { return done(.permerror, "key does not allow sha256") }
        if key.strict, signature.identity.split(separator: "@").last.map({ $0.lowercased() }) != signature.domain {
            return done(.permerror, "key requires i= to be exactly d=")
        }
        // §6.1.3: the body hash.
        var canonicalBody = signature.bodyCanonicalization == .simple
            ? (simpleBody ?? DKIMCanonicalization.body(body, .simple))
            : DKIMCanonicalization.body(body, .relaxed)
        var note: String?
        if let length = signature.bodyLength {
            guard length <= canonicalBody.count else { return done(.permerror, "l= is longer than the body") }
            if length < canonicalBody.count {
                note = "\(canonicalBody.count - length) octets of body past l= not signed"
                canonicalBody.removeLast(canonicalBody.count - length)
            }
        }
        guard Array(SHA256.hash(data: canonicalBody)) == signature.bodyHash else {
            return done(.fail, "body hash did not verify")
        }
        // §5.4.2: the signed header fields, each taken from the bottom up.
        var data: [UInt8] = []
        var used: [String: Int] = [:]
        for name in signature.signedFields {
            let candidates = header.fields.filter { $0.name == name }
            let taken = used[name, default: 0]
            guard taken < candidates.count else { continue }
            used[name] = taken + 1
            data += DKIMCanonicalization.header(candidates[candidates.count - 1 - taken], signature.headerCanonicalization)
        }
        data += DKIMCanonicalization.signatureField(header.fields.first { $0.raw == field.raw } ?? field, signature.headerCanonicalization)
        let digest = SHA256.hash(data: data)
        switch (signature.algorithm, key.type) {
        case (.rsaSHA256, .rsa):
            guard let publicKey = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: key.publicKey) else {
                return done(.permerror, "RSA key could not be read")
            }
            guard publicKey.keySizeInBits <= MailAuthLimits.rsaMaximumBits else {
                return done(.permerror, "RSA key longer than \(MailAuthLimits.rsaMaximumBits) bits")
            }
            let valid = publicKey.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature.signature),
                                                   for: digest, padding: .insecurePKCS1v1_5)
            return valid ? done(.pass, note) : done(.fail, "signature did not verify")
        case (.ed25519SHA256, .ed25519):
            // RFC 8463 §3: Ed25519 (pure) signs the SHA-256 hash of the canonicalised header.
            guard let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key.publicKey) else {
                return done(.permerror, "Ed25519 key could not be read")
            }
            let valid = publicKey.isValidSignature(signature.signature, for: Data(digest))
            return valid ? done(.pass, note) : done(.fail, "signature did not verify")
        default:
            return done(.permerror, "key type \(key.type.rawValue) does not match a=\(signature.algorithm.rawValue)")
        }
    }

    func fetchKey(_ signature: DKIMSignature) async -> Result<DKIMKey, KeyProblem> {
        let name = "\(signature.selector)._domainkey.\(signature.domain)"
        let records: [String]
        do {
            records = try await resolver.lookupTXT(name)
        } catch {
            switch error {
            case .nameDoesNotExist, .noData, .invalidName: return .failure(KeyProblem(.permerror, "no key at \(name)"))
            default: return .failure(KeyProblem(.temperror, "key lookup failed: \(error.summary)"))
            }
        }
        guard let text = records.first, text.utf8.count <= MailAuthLimits.txtRecordBytes else {
            return .failure(KeyProblem(.permerror, "no key at \(name)"))
        }
        switch DKIMKey.parse(text) {
        case .success(let key): return .success(key)
        case .failure(.revoked): return .failure(KeyProblem(.permerror, "key revoked"))
        case .failure(.invalid(let why)): return .failure(KeyProblem(.permerror, why))
        }
    }

    struct KeyProblem: Error {
        var result: DKIMResult
        var reason: String
        init(_ result: DKIMResult, _ reason: String) { self.result = result; self.reason = reason }
    }
}
