import Foundation

/// One automatic-ban trigger: ban when `perSession` offences happen in one session, or when
/// `perAddress` offences come from one address within `window` seconds (whichever comes
/// first; nil turns that count off). An event counts while `now - event < window`.
public struct Trigger: Sendable, Codable, Equatable, Hashable {
    public var enabled: Bool
    public var perSession: Int?
    public var perAddress: Int?
    public var window: TimeInterval

    public init(enabled: Bool = true, perSession: Int? = nil, perAddress: Int? = nil, window: TimeInterval = 3600) {
        self.enabled = enabled
        self.perSession = perSession
        self.perAddress = perAddress
        self.window = window
    }

    public static let disabled = Trigger(enabled: false)
}

/// Flood trigger: ban an address that opens more than `maxConnections` connections (all
/// services together) within `window` seconds.
public struct RateLimit: Sendable, Codable, Equatable, Hashable {
    public var enabled: Bool
    public var maxConnections: Int
    public var window: TimeInterval

    public init(enabled: Bool = true, maxConnections: Int = 60, window: TimeInterval = 60) {
        self.enabled = enabled
        self.maxConnections = maxConnections
        self.window = window
    }
}

/// The automatic-ban triggers with their defaults.
public struct Triggers: Sendable, Codable, Equatable, Hashable {
    /// RCPT to a foreign domain without authentication: the first one bans.
    public var relayAttempt = Trigger(perAddress: 1, window: 3600)
    /// Recipient dictionary attacks: 5 in one session or 10 within an hour.
    public var unknownRecipient = Trigger(perSession: 5, perAddress: 10, window: 3600)
    /// Unknown or malformed commands: 10 in one session.
    public var badCommand = Trigger(perSession: 10)
    /// Client talking before the greeting (the session opens with the server greeting, RFC 5321
    /// section 3.1; ratware does not wait for it): the first bans.
    public var prematureTalk = Trigger(perAddress: 1, window: 3600)
    /// Lines over the protocol's limit: 3 in one session.
    public var overlongLine = Trigger(perSession: 3)
    /// SMTP smuggling attempt (bare LF / bare CR end-of-data tricks): the first bans.
    public var smuggling = Trigger(perAddress: 1, window: 3600)
    /// Password guessing: 5 DIFFERENT wrong passwords within 15 minutes. The same wrong
    /// password again counts once, and a successful login from the address resets the count,
    /// so a stale phone behind an office NAT never locks the office out. Only `perAddress`
    /// and `window` apply to this trigger.
    public var authFailure = Trigger(perAddress: 5, window: 900)
    /// Floods: more than 60 connections a minute.
    public var connectionRate = RateLimit()

    public init() {}

    /// The trigger behind an offence rule (connection rate has its own type).
    public subscript(rule: GuardRule) -> Trigger? {
        switch rule {
        case .relayAttempt: relayAttempt
        case .unknownRecipients: unknownRecipient
        case .badCommands: badCommand
        case .prematureTalk: prematureTalk
        case .overlongLines: overlongLine
        case .smuggling: smuggling
        case .authFailures: authFailure
        default: nil
        }
    }
}
