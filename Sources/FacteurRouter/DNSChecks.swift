import FacteurDNS
import FacteurNet

/// Checks of the public DNS: MX of each domain, address of the host name, reverse DNS of the
/// public address. Each takes the lookup result, so it is a pure function.
public enum DNSChecks {
    /// RFC 5321 §5.1: mail for `domain` goes to the hosts of its MX records.
    public static func mx(domain: String, hostname: String, result: Result<[DNSMailExchange], DNSLookupError>) -> ChecklistItem {
        var item = ChecklistItem(id: "dns.\(domain).mx", status: .fail, required: true,
                                 title: "MX of \(domain) names \(hostname)", detail: "")
        let fix = "At your DNS provider, add the record: \(domain). MX 10 \(hostname)."
        switch result {
        case .success(let exchanges):
            let listed = exchanges.map(\.description).joined(separator: ", ")
            if exchanges.contains(where: { sameName($0.exchange, hostname) }) {
                item.status = .pass
                item.detail = "MX \(listed)."
            } else if exchanges.contains(where: { $0.exchange == "." }) {
                // RFC 7505: a null MX says the domain accepts no mail at all.
                item.detail = "\(domain) has a null MX (\".\"): it declares that it accepts no mail."
                item.advice = "Replace the null MX: \(domain). MX 10 \(hostname)."
            } else {
                item.detail = "MX records point elsewhere: \(listed)."
                item.advice = "Mail for \(domain) goes to those hosts, not to Facteur. " + fix
            }
        case .failure(.noData):
            item.detail = "\(domain) has no MX record."
            item.advice = fix
        case .failure(.nameDoesNotExist):
            item.detail = "\(domain) does not exist in DNS."
            item.advice = "Check the spelling of the domain and that it is registered; then: " + fix
        case .failure(let error):
            item.lookupFailed(error)
        }
        return item
    }

    /// The host name must resolve to the public address so that other servers reach the router.
    /// `result` is the A lookup for an IPv4 public address, AAAA for IPv6 (A when unknown).
    public static func hostAddress(hostname: String, publicAddress: IPAddress?,
                                   result: Result<[String], DNSLookupError>) -> ChecklistItem {
        let type = publicAddress?.isIPv4 == false ? "AAAA" : "A"
        var item = ChecklistItem(id: "dns.hostname.address", status: .fail, required: true,
                                 title: "\(hostname) points to the public address", detail: "")
        let fix = publicAddress.map { "At your DNS provider, add the record: \(hostname). \(type) \($0)." }
            ?? "Set public_address in the configuration so that this can be checked."
        switch result {
        case .success(let addresses):
            let found = addresses.compactMap(IPAddress.init)
            let listed = addresses.joined(separator: ", ")
            guard let publicAddress else {
                item.status = .unknown
                item.detail = "\(hostname) has \(type) \(listed); the public address is unknown, so it cannot be compared."
                item.advice = fix
                return item
            }
            if found.contains(publicAddress) {
                item.status = .pass
                item.detail = "\(hostname) \(type) \(listed)."
            } else {
                item.detail = "\(hostname) resolves to \(listed), but the public address is \(publicAddress)."
                item.advice = "Change the record: \(hostname). \(type) \(publicAddress)."
            }
        case .failure(.noData), .failure(.nameDoesNotExist):
            item.detail = "\(hostname) has no \(type) record."
            item.advice = fix
        case .failure(let error):
            item.lookupFailed(error)
        }
        return item
    }

    /// Reverse DNS (RFC 1912 §2.1): receivers trust mail more when the PTR of the sending
    /// address names the host. A warning only: it matters for sending, not receiving.
    public static func reverse(hostname: String, publicAddress: IPAddress?,
                               result: Result<[String], DNSLookupError>?) -> ChecklistItem {
        var item = ChecklistItem(id: "dns.public-address.ptr", status: .warn, required: false,
                                 title: "Reverse DNS of the public address names \(hostname)", detail: "")
        guard let publicAddress, let result else {
            item.status = .unknown
            item.detail = "Not tested: the public address is unknown."
            item.advice = "Set public_address in the configuration."
            return item
        }
        let fix = "Ask your access provider (they own the reverse zone) to set the reverse DNS of \(publicAddress) to \(hostname). "
            + "Without it, some receivers reject or distrust mail sent from this server."
        switch result {
        case .success(let names):
            if names.contains(where: { sameName($0, hostname) }) {
                item.status = .pass
                item.detail = "\(publicAddress) → \(names.joined(separator: ", "))."
            } else {
                item.detail = "\(publicAddress) → \(names.joined(separator: ", ")), not \(hostname)."
                item.advice = fix
            }
        case .failure(.noData), .failure(.nameDoesNotExist):
            item.detail = "\(publicAddress) has no reverse DNS (PTR) record."
            item.advice = fix
        case .failure(let error):
            item.status = .unknown
            item.detail = "Could not check: \(error.summary)."
        }
        return item
    }

    /// Names compared as DNS does: case-insensitive, trailing dot ignored.
    static func sameName(_ a: String, _ b: String) -> Bool {
        guard let left = try? DNSName(a), let right = try? DNSName(b) else { return a.lowercased() == b.lowercased() }
        return left == right
    }
}

extension ChecklistItem {
    /// The lookup itself failed (timeout, SERVFAIL …): the check's outcome is unknown.
    mutating func lookupFailed(_ error: DNSLookupError) {
        status = .unknown
        detail = "Could not check: \(error.summary)."
        advice = "Check this machine's DNS server (/etc/resolv.conf) and its internet access."
    }
}
