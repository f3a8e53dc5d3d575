import Foundation

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
