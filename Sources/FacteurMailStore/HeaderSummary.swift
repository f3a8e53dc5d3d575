import FacteurMIME

/// From, Subject and Date of a message, from the first bytes of its header (RFC 5322 §2.2).
/// Values are unfolded but not decoded (RFC 2047 encoded words are left as they are).
public struct HeaderSummary: Sendable, Equatable {
    public var from: String?
    public var subject: String?
    public var date: String?

    /// Reads header fields until the empty line or the end of `bytes` (a field cut by the end
    /// is still used). Lines may end in CRLF or LF.
    public static func parse(_ bytes: [UInt8]) -> HeaderSummary {
        let found = HeaderPeek.fields(["from", "subject", "date"], in: bytes)
        return HeaderSummary(from: found["from"], subject: found["subject"], date: found["date"])
    }
}
