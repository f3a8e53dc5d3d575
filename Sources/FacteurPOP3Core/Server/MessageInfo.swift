/// One message of a maildrop as the POP3 session sees it (RFC 1939 §5).
public struct MessageInfo: Sendable, Equatable, Hashable, Codable {
    /// 1-based message number. The maildrop array passed to the session must be in index order
    /// (position i holds index i + 1); the session numbers by position.
    public var index: Int
    /// Unique-id listing value (RFC 1939 §7 UIDL): 1 to 70 characters 0x21...0x7E, stable across
    /// sessions. The lead derives it from the Maildir unique name so it agrees with IMAP.
    public var uid: String
    /// Size in octets as sent: CRLF line endings, no byte-stuffing (see `POP3DotStuffing.wireSize`).
    public var size: Int

    public init(index: Int, uid: String, size: Int) {
        self.index = index; self.uid = uid; self.size = size
    }

    /// RFC 1939 §7: "unique-id ... consists of one to 70 characters in the range 0x21 to 0x7E".
    public static func isValidUID(_ uid: String) -> Bool {
        let bytes = Array(uid.utf8)
        return (1...70).contains(bytes.count) && bytes.allSatisfy { (0x21...0x7E).contains($0) }
    }
}
