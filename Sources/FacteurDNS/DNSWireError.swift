/// Why a DNS message could not be decoded or encoded. Bad input gives one of these, never a crash.
public enum DNSWireError: Error, Sendable, Equatable {
    /// The message ends before the field at `offset` is complete.
    case truncated(offset: Int)
    /// A label longer than 63 octets (RFC 1035 §2.3.4).
    case labelTooLong
    /// A name longer than 255 octets (RFC 1035 §2.3.4).
    case nameTooLong
    /// A compression pointer that does not point strictly backwards, or too many of them.
    case compressionLoop(offset: Int)
    /// Label types 0b01 and 0b10 are reserved (RFC 1035 §4.1.4, RFC 6891 §5).
    case reservedLabelType(offset: Int)
    /// More questions or records than `DNSLimits` allow.
    case tooManyRecords
    /// The message is larger than 65 535 octets.
    case messageTooLarge
    /// RDATA of a known type did not have the expected layout.
    case badRecordData(type: UInt16)
    /// A name given as text is not a valid domain name.
    case invalidName(String)
    /// A <character-string> longer than 255 octets.
    case characterStringTooLong
}
