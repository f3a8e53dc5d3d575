import Foundation

/// What the session needs to know about its listener and server.
public struct IMAPSessionConfiguration: Sendable {
    /// Shown in the greeting and the BYE.
    public var serverName: String
    /// STARTTLS can be offered (a certificate is configured).
    public var tlsAvailable: Bool
    /// The connection is already encrypted (port 993, or after STARTTLS).
    public var tlsActive: Bool
    /// Allow LOGIN / AUTHENTICATE PLAIN on an unencrypted connection (RFC 3501 §6.2.3
    /// LOGINDISABLED otherwise). Only for loopback or test setups.
    public var allowPlaintextAuthentication: Bool
    /// Zone for INTERNALDATE output and the day of SEARCH BEFORE / ON / SINCE.
    public var timeZone: TimeZone
    /// The ID command's answer (RFC 2971).
    public var serverID: [IDParameter]

    public init(serverName: String = "Facteur", tlsAvailable: Bool = true, tlsActive: Bool = false,
                allowPlaintextAuthentication: Bool = false, timeZone: TimeZone = TimeZone(secondsFromGMT: 0) ?? .current,
                serverID: [IDParameter] = [IDParameter(key: "name", value: "Facteur")]) {
        self.serverName = serverName; self.tlsAvailable = tlsAvailable; self.tlsActive = tlsActive
        self.allowPlaintextAuthentication = allowPlaintextAuthentication; self.timeZone = timeZone
        self.serverID = serverID
    }

    /// Plaintext credentials may be received now.
    var authenticationAllowed: Bool { tlsActive || allowPlaintextAuthentication }

    /// CAPABILITY list (RFC 3501 §6.1.1) for the current connection state.
    func capabilities(authenticated: Bool) -> [String] {
        var names = ["IMAP4rev1", "LITERAL+", "SASL-IR", "ID", "ENABLE", "IDLE", "NAMESPACE", "UIDPLUS", "MOVE",
                     "UNSELECT", "CHILDREN", "SPECIAL-USE", "CONDSTORE", "QRESYNC", "BINARY", "MULTIAPPEND", "LIST-EXTENDED", "LIST-STATUS", "CREATE-SPECIAL-USE", "STATUS=SIZE"]
        names += ["ESEARCH", "SEARCHRES", "SORT", "SORT=DISPLAY", "ESORT", "THREAD=ORDEREDSUBJECT", "THREAD=REFERENCES"]
        if authenticated { names.append("COMPRESS=DEFLATE"); names += IMAPQuotaRoot.capabilities }
        if !authenticated {
            if tlsAvailable && !tlsActive { names.append("STARTTLS") }
            if authenticationAllowed { names.append("AUTH=PLAIN") } else { names.append("LOGINDISABLED") }
        }
        return names
    }
}

/// What the connection handler must do, in order.
public enum IMAPSessionAction: Sendable, Equatable {
    /// Write these octets.
    case send([UInt8])
    /// Start TLS now (after writing what came before); then call `IMAPFramer.reset()` so bytes
    /// received before the handshake are discarded (RFC 3501 §6.2.1, against command
    /// injection), and call `IMAPSession.tlsEstablished()`.
    case startTLS
    /// Call `IMAPFramer.abandonStreamedLiteral()`: the client will not send the literal.
    case abandonStreamedLiteral
    /// COMPRESS=DEFLATE (RFC 4978): after writing the OK (uncompressed), compress both ways;
    /// bytes already received after the command are compressed (`IMAPFramer.takeUnframed()`).
    case startCompression
    /// Close the connection (after writing).
    case close
    /// A user logged in (for logs and the console).
    case authenticated(username: String)
    /// Credentials were refused (for the guard's counters).
    case authenticationFailed(username: String?)
}

/// RFC 3501 §3 connection states.
public enum IMAPSessionPhase: Sendable, Equatable {
    case notAuthenticated
    case authenticated
    case selected(IMAPMailboxName)
    case logout
}
