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
}
