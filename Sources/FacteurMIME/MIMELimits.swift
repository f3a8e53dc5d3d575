/// Every bound the message parsers respect, in one place.
public enum MIMELimits {
    /// Nesting depth of multipart / message/rfc822 parts.
    public static let maxMIMEDepth = 20
    /// Body parts in one message tree.
    public static let maxMIMEParts = 2000
    /// Header fields in one header block.
    public static let maxHeaderFields = 2000
    /// Addresses in one address list.
    public static let maxAddresses = 2000
    /// Characters of a Subject read for its base subject (RFC 5256 §2.1).
    public static let maxSortSubject = 2000
    /// Characters of an address field read for a SORT key (only its first address counts).
    public static let maxSortAddressField = 4000
    /// References kept per message for THREAD (the nearest ancestors).
    public static let maxSortReferences = 100
    /// Octets of one message ID; longer ones are ignored.
    public static let maxMessageIDLength = 998
}
