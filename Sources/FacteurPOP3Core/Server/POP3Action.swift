/// What the edge must do after feeding the session an event. Actions are performed in order.
public enum POP3Action: Sendable, Equatable {
    /// Write one status line ("+OK …" / "-ERR …"), CRLF appended by the edge.
    case reply(String)
    /// Write the status line, then the body lines byte-stuffed and terminated
    /// (`POP3DotStuffing.encode(lines:)`). Used for CAPA, LIST and UIDL without argument.
    case replyMultiline(String, [String])
    /// Write a SASL continuation line ("+ " followed by the base64 challenge, RFC 5034 §4).
    case continuation(String)
    /// Send a message for RETR (topLines nil) or TOP. The edge opens the message; if it cannot,
    /// it writes `POP3Replies.messageUnavailable` instead. Otherwise it writes
    /// `POP3Replies.messageFollows(size:)`, then the file through `POP3MessageEncoder(topLines:)`
    /// (its output ends with the terminating ".").
    case sendMessage(MessageInfo, topLines: Int?)
    /// The "+OK" to STLS has been queued: flush it, then start the TLS handshake and call
    /// `tlsEstablished()`. Plaintext already buffered behind STLS must be discarded (RFC 2595 §4).
    case startTLS
    /// Verify these credentials asynchronously, lock the maildrop, then call
    /// `authResult(success:maildrop:inUse:)`. Lines arriving meanwhile are queued by the session.
    case authenticate(user: String, password: [UInt8])
    /// A login failed: for the guard (`ServerEvent.Kind.authFailed`). The digest is
    /// `PasswordDigest.digest(_:key:)` with the session's key.
    case loginFailed(user: String, passwordDigest: String)
    /// A login succeeded and the maildrop is open (`ServerEvent.Kind.authSucceeded`).
    case loginSucceeded(user: String)
    /// QUIT in TRANSACTION: delete these messages (by uid) durably, then call
    /// `commitResult(success:)`. Emitted only when something is marked; never on a dropped connection.
    case commitDeletions([String])
    /// Close the connection after writing everything before this action.
    case close
}

/// Reply texts the edge needs for the parts it performs itself.
public enum POP3Replies {
    public static func messageFollows(size: Int) -> String { "+OK \(size) octets" }
    public static let messageUnavailable = "-ERR [SYS/TEMP] message is no longer available"
    public static let lineTooLong = "-ERR line too long"
    public static let timeout = "-ERR autologout, idle too long"
}
