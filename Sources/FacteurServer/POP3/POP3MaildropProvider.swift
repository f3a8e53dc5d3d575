/// One message of a maildrop as the POP3 edge needs it (RFC 1939 §5, §7).
public struct POP3MaildropEntry: Sendable, Equatable {
    /// Unique-id listing value: 1 to 70 characters 0x21...0x7E (RFC 1939 §7 UIDL), stable across
    /// sessions.
    public var uid: String
    /// Size in octets as sent: CRLF line endings, without byte-stuffing.
    public var size: Int
    /// The file holding the message.
    public var path: String

    public init(uid: String, size: Int, path: String) {
        self.uid = uid; self.size = size; self.path = path
    }
}

/// Access to a user's maildrop for POP3. Called on the I/O pool (it may block), never on an event
/// loop. `IndexedPOP3Provider` serves it from the mailbox index, so POP3 and IMAP agree;
/// tests may pass another (`POP3Services(config:maildrops:)`).
public protocol POP3MaildropProvider: Sendable {
    /// The messages of `owner` ("alice@example.test") in the order POP3 numbers them (message 1
    /// first). An owner without any mail yet has an empty maildrop, not an error.
    func open(owner: String) throws -> [POP3MaildropEntry]
    /// Removes these messages (by uid) durably, at QUIT (RFC 1939 §6). A uid that is already gone
    /// is not an error. Throws if any message could not be removed.
    func delete(owner: String, uids: [String]) throws
}
