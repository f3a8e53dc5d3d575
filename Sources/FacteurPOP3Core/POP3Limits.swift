import Foundation

/// Every bound the POP3 core enforces, in one place (house style: named limits per protocol).
///
/// `standard` holds the production values; tests build smaller ones to reach the limits quickly.
public struct POP3Limits: Sendable, Equatable {
    /// Longest command line accepted, CRLF excluded. RFC 2449 §4 caps command lines at 255 octets;
    /// we allow a little more because some clients send long user names.
    public var commandLineLength: Int
    /// Longest SASL line (an `AUTH PLAIN <initial-response>` or a continuation response).
    /// RFC 5034 §4 keeps initial responses under 255 octets, but clients with long passwords
    /// send longer ones; base64 of a 512-octet PLAIN message fits in 700.
    public var saslLineLength: Int
    /// Longest line the edge's framer buffers before it reports an overflow (the larger of the above).
    public var framedLineLength: Int { max(commandLineLength, saslLineLength) }
    /// Unknown, malformed or out-of-sequence commands tolerated before the session closes.
    public var badCommands: Int
    /// Failed logins tolerated on one connection before it is closed.
    public var failedLogins: Int
    /// Lines buffered while a login is being verified (pipelined commands, RFC 2449 §6.6).
    public var pipelinedLinesWhileVerifying: Int
    /// Longest user name accepted (octets).
    public var userLength: Int
    /// Longest password accepted (octets).
    public var passwordLength: Int
    /// RFC 1939 §3: the inactivity autologout timer must be at least 10 minutes. The edge uses it.
    public var idleTimeout: TimeInterval

    public init(commandLineLength: Int = 512, saslLineLength: Int = 1024, badCommands: Int = 10,
                failedLogins: Int = 3, pipelinedLinesWhileVerifying: Int = 64, userLength: Int = 255,
                passwordLength: Int = 512, idleTimeout: TimeInterval = 600) {
        self.commandLineLength = commandLineLength; self.saslLineLength = saslLineLength
        self.badCommands = badCommands; self.failedLogins = failedLogins
        self.pipelinedLinesWhileVerifying = pipelinedLinesWhileVerifying
        self.userLength = userLength; self.passwordLength = passwordLength; self.idleTimeout = idleTimeout
    }

    public static let standard = POP3Limits()
}
