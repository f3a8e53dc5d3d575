import Foundation

/// Something a session saw a client do, reported with `Guard.record`.
public enum Offence: Sendable, Hashable {
    /// RCPT TO a foreign domain without authentication.
    case relayAttempt
    /// RCPT TO a local address that does not exist.
    case unknownRecipient
    /// Unknown, malformed or out-of-sequence command.
    case badCommand
    /// Data sent before the server greeting.
    case prematureTalk
    /// A line longer than the protocol allows.
    case overlongLine
    /// An SMTP smuggling attempt (non-CRLF end-of-data sequence).
    case smuggling
    /// A wrong password. `passwordDigest` identifies the password tried (for instance a keyed
    /// hash of user and password), never the password itself: only equality is used.
    case authFailure(passwordDigest: String)
    /// A successful login: resets the address's wrong-password count.
    case authSuccess

    /// The rule this offence counts towards; nil for `authSuccess`.
    public var rule: GuardRule? {
        switch self {
        case .relayAttempt: .relayAttempt
        case .unknownRecipient: .unknownRecipients
        case .badCommand: .badCommands
        case .prematureTalk: .prematureTalk
        case .overlongLine: .overlongLines
        case .smuggling: .smuggling
        case .authFailure: .authFailures
        case .authSuccess: nil
        }
    }
}
