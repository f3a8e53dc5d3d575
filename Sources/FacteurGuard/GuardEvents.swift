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

/// What `Guard.record`, `Guard.admit` and the manual commands ask the caller to do.
public enum GuardAction: Sendable, Equatable {
    /// A new ban: persist it, log it, and close the open sessions of `ban.network`.
    case banned(Ban)
    /// A ban was lifted: delete it from storage.
    case unbanned(Ban, why: UnbanReason)
}

/// Why a ban ended (raw values follow `FacteurCore.ServerEvent.Kind.unbanned`).
public enum UnbanReason: String, Sendable, Codable, Hashable {
    case manual
    case expired
    case neverBan = "never-ban"
}

/// The answer to a new connection.
public enum Admission: Sendable, Equatable {
    case allow
    case refuse(Refusal)

    public var isAllowed: Bool {
        if case .allow = self { return true }
        return false
    }
}

/// Why a connection is refused.
public struct Refusal: Sendable, Equatable {
    public var rule: GuardRule
    /// Human reason for logs and the console (not necessarily for the client).
    public var reason: String
    /// When the refusal ends (a ban's expiry); nil for permanent bans and list rules.
    public var until: Date?
    /// The ban in force, when the refusal comes from one.
    public var ban: Ban?
    /// True when this very connection caused the ban (connection-rate trigger): persist it.
    public var isNewBan: Bool

    public init(rule: GuardRule, reason: String, until: Date? = nil, ban: Ban? = nil, isNewBan: Bool = false) {
        self.rule = rule
        self.reason = reason
        self.until = until
        self.ban = ban
        self.isNewBan = isNewBan
    }
}

/// Errors of the manual commands.
public enum GuardError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The network lies inside a never-ban network.
    case protectedNetwork(IPNetwork)
    /// No ban exists for exactly this network.
    case noSuchBan(IPNetwork)

    public var description: String {
        switch self {
        case let .protectedNetwork(network): "\(network) is in the never-ban list"
        case let .noSuchBan(network): "no ban for \(network)"
        }
    }
}
