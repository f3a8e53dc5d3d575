import Foundation

public struct IMAPClientConfiguration: Sendable, Equatable {
    public var user: String
    public var password: String
    public var security: CollectionSecurity
    /// Mailbox to collect from.
    public var mailbox: String
    public var limits: CollectionClientLimits

    public init(user: String, password: String, security: CollectionSecurity, mailbox: String = "INBOX",
                limits: CollectionClientLimits = .standard) {
        self.user = user; self.password = password; self.security = security
        self.mailbox = mailbox; self.limits = limits
    }
}

/// Requests the collector makes once the client is `.ready`.
public enum IMAPClientCommand: Sendable, Equatable {
    /// `UID SEARCH ALL` (RFC 3501 §6.4.4, §6.4.8).
    case search
    /// `UID FETCH uid (BODY.PEEK[] INTERNALDATE)`: PEEK leaves \Seen alone (§6.4.5).
    case fetch(uid: UInt32)
    /// `UID STORE uids +FLAGS.SILENT (\Deleted)` then `EXPUNGE` (§6.4.6, §6.4.3).
    case delete(uids: [UInt32])
    /// `LOGOUT` (§6.1.3).
    case logout
}

public enum IMAPClientError: Error, Sendable, Equatable {
    case greetingRejected(String)
    /// STARTTLS refused, or PREAUTH while STARTTLS was required.
    case tlsUnavailable(String)
    case authenticationFailed(String)
    case selectFailed(String)
    case protocolViolation(String)
    case lineTooLong
    case literalTooLarge(Int)
    /// Untagged BYE outside LOGOUT (RFC 3501 §7.1.5).
    case closedByServer(String)
}

public enum IMAPClientEvent: Sendable, Equatable {
    case send([UInt8])
    /// STARTTLS accepted: start the handshake now, then call `tlsEstablished()`.
    case startTLS
    /// Logged in and the mailbox is selected. UIDs are only meaningful together with
    /// `uidValidity` (RFC 3501 §2.3.1.1): key the ledger with `CollectionLedger.imapUID`.
    case ready(uidValidity: UInt32?, exists: Int)
    case searchResult([UInt32])
    case message(uid: UInt32, internalDate: Date?, content: [UInt8])
    /// The messages were flagged \Deleted and EXPUNGE completed.
    case deleted([UInt32])
    /// NO/BAD to a request, or a FETCH that returned no body; the connection is still usable.
    case commandFailed(IMAPClientCommand, reason: String)
    /// LOGOUT completed.
    case finished
    case failed(IMAPClientError)
    case close
}

