/// Every bound the DNS codec and resolver enforce, in one place.
public enum DNSLimits {
    /// RFC 1035 §2.3.4: labels are 63 octets or less.
    public static let maxLabelBytes = 63
    /// RFC 1035 §2.3.4: names are 255 octets or less (wire form, length octets included).
    public static let maxNameBytes = 255
    /// Compression pointers followed while reading one name (RFC 1035 §4.1.4). A 255-octet name
    /// has at most 127 labels, so a legitimate name never needs more jumps than that.
    public static let maxCompressionJumps = 127
    /// A DNS message over TCP is prefixed by a 16-bit length (RFC 1035 §4.2.2).
    public static let maxMessageBytes = 65_535
    /// Receive buffer for UDP answers. Without EDNS a server sends at most 512 octets
    /// (RFC 1035 §4.2.1); we accept more in case a server ignores that.
    public static let udpReceiveBytes = 4_096
    /// Questions accepted in one message. Real servers send exactly one.
    public static let maxQuestions = 4
    /// Resource records accepted across answer, authority and additional sections.
    public static let maxRecords = 1_024
    /// RFC 1035 §3.3: a <character-string> is at most 255 octets.
    public static let maxCharacterStringBytes = 255
    /// Entries a `DNSCache` keeps before evicting the ones that expire first.
    public static let maxCacheEntries = 4_096
    /// CNAME links followed inside one answer section.
    public static let maxCNAMEChain = 8
}
