import NIOCore

/// The IMAP edge's named limits and timeouts (the protocol core's own limits are
/// `IMAPLimits` in FacteurIMAPCore).
enum IMAPServerLimits {
    /// RFC 3501 §5.4: an inactivity autologout timer "MUST be at least 30 minutes".
    static let autologout: TimeAmount = .minutes(30)
    /// Before authentication (RFC 9051 §5.4 asks for 30 minutes only after it): the whole
    /// not-authenticated state, from the greeting to a successful login, lasts at most this
    /// long, however the client trickles its bytes.
    static let loginWithin: TimeAmount = .minutes(3)
    /// RFC 2177 §3: a client re-issues IDLE at least every 29 minutes, so an IDLE that has heard
    /// nothing from the client for 29 minutes (plus this margin) is a dead client.
    static let idleLimit: TimeAmount = .minutes(29) + .seconds(60)
    /// A client that keeps sending what the server cannot parse is disconnected after this many
    /// BAD responses (tagged or untagged) in one connection.
    static let maxBadResponses = 20
    /// Failed LOGIN / AUTHENTICATE attempts in one connection before `* BYE`. The guard counts
    /// failures per address across connections (`[guard] failed_logins`).
    static let maxFailedLogins = 3
    /// Received octets buffered in the framer before the handler stops reading from the socket
    /// until the session has caught up (back-pressure against a flood of pipelined commands).
    static let readBufferHighWater = 256 * 1024
    /// Octets of a streamed APPEND literal gathered in memory before they are written to its
    /// spool file (one I/O-pool hop per this many octets).
    static let appendSpoolFlush = 256 * 1024
    /// Messages in the mailbox tables kept for sharing between sessions
    /// (`IMAPMessageTableCache`, ~21 octets a message: 2,000,000 is about 40 MiB).
    static let cachedMessageTableEntries = 2_000_000
    /// User names longer than this are refused without touching the user database.
    static let maxUserNameBytes = 320
    /// Commands whose tags the handler remembers to match their completion (for events).
    static let maxPendingCommands = 32
}
