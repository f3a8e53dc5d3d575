/// `[mailauth]`: SPF, DKIM and DMARC checks of received mail, and what to do with the results.
public struct MailAuthSettings: Sendable, Equatable {
    /// What a result leads to: refuse at the end of DATA, deliver into Junk, or only report.
    public enum Action: String, Sendable, Equatable, CaseIterable {
        case reject, junk, ignore
    }

    /// Checks on (default). Off: mail is delivered without an Authentication-Results header.
    public var enabled = true
    /// Clients not checked (local programs, the office LAN): loopback by default.
    public var trustedNetworks: [String] = ["127.0.0.0/8", "::1/128"]
    /// The Public Suffix List (Debian package `publicsuffix`), for DMARC's organisational domains.
    public var publicSuffixList = "/usr/share/publicsuffix/public_suffix_list.dat"
    public var dmarcReject: Action = .reject
    public var dmarcQuarantine: Action = .junk
    public var spfFail: Action = .junk
    /// From: one of our domains, sent from outside without an aligned SPF/DKIM pass.
    public var ownDomainForgery: Action = .reject
    /// A DNS failure that leaves the verdict open: 451 4.7.x (true) or deliver.
    public var tempfailOnDNSError = true

    public init() {}


    /// Reads the section into `settings`, reporting bad values through `reader`.
    static func read(_ s: TOMLReader.Section, into settings: inout MailAuthSettings, folder: String) {
        settings.enabled = s.bool("enabled") ?? settings.enabled
        settings.trustedNetworks = s.strings("trusted_networks") ?? settings.trustedNetworks
        if let path = s.string("public_suffix_list") {
            settings.publicSuffixList = path.hasPrefix("/") ? path : folder + "/" + path
        }
        func action(_ key: String, _ value: inout Action) {
            guard let text = s.string(key) else { return }
            if let parsed = Action(rawValue: text.lowercased()) {
                value = parsed
            } else {
                s.reader.fail("'\(key)' must be \"reject\", \"junk\" or \"ignore\"", key: key, path: s.path)
            }
        }
        action("dmarc_reject", &settings.dmarcReject)
        action("dmarc_quarantine", &settings.dmarcQuarantine)
        action("spf_fail", &settings.spfFail)
        action("own_domain_forgery", &settings.ownDomainForgery)
        if let dns = s.string("dns_errors") {
            switch dns.lowercased() {
            case "tempfail": settings.tempfailOnDNSError = true
            case "accept": settings.tempfailOnDNSError = false
            default: s.reader.fail("'dns_errors' must be \"tempfail\" or \"accept\"", key: "dns_errors", path: s.path)
            }
        }
    }
}
