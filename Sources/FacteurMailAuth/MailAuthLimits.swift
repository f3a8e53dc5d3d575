/// Every bound the SPF, DKIM and DMARC checks enforce, in one place.
public enum MailAuthLimits {
    /// RFC 7208 §4.6.4: terms that cause DNS queries (include, a, mx, ptr, exists, redirect).
    public static let spfDNSTerms = 10
    /// RFC 7208 §4.6.4: lookups that return no answer or NXDOMAIN before the check is a permerror.
    public static let spfVoidLookups = 2
    /// RFC 7208 §4.6.4: MX records (and PTR names) examined by one mx (ptr) mechanism.
    public static let spfNamesPerMechanism = 10
    /// RFC 7208 §4.8: a domain-spec longer than this is shortened from the left.
    public static let domainNameLength = 253
    /// Longest SPF record (all TXT strings joined) we parse.
    public static let spfRecordBytes = 4_096
    /// Longest macro expansion (RFC 7208 §7.3: explanations and names both stay well under this).
    public static let macroExpansionBytes = 1_024
    /// DKIM-Signature fields verified per message (the others are reported as not checked).
    public static let dkimSignatures = 8
    /// RFC 8301 §3.2: RSA keys shorter than 1024 bits are refused; longer than 4096 are not used.
    public static let rsaMinimumBits = 1_024
    public static let rsaMaximumBits = 4_096
    /// Header fields a DKIM signature may cover (h=), and octets of one field we canonicalise.
    public static let dkimSignedFields = 64
    /// Header section read from a message (fields past it are not examined).
    public static let headerSectionBytes = 1_048_576
    /// Header fields in one message's header section.
    public static let headerFields = 1_000
    /// Longest TXT answer (DKIM key, DMARC record) we parse.
    public static let txtRecordBytes = 8_192
}
