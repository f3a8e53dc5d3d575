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
    /// Client talking before the greeting (RFC 5321 section 4.3.1; spambots do): the first bans.
    public var prematureTalk = Trigger(perAddress: 1, window: 3600)
    /// Lines over the protocol's limit: 3 in one session.
    public var overlongLine = Trigger(perSession: 3)
    /// SMTP smuggling attempt (bare LF / bare CR end-of-data tricks): the first bans.
    public var smuggling = Trigger(perAddress: 1, window: 3600)
    /// Password guessing: 5 DIFFERENT wrong passwords within 15 minutes. The same wrong
    /// password again counts once, and a successful login from the address resets the count,
    /// so a stale phone behind an office NAT never locks the office out.
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

/// Who may connect to one service (or to all, in `GuardPolicy.access`).
public struct AccessRules: Sendable, Codable, Equatable, Hashable {
    /// Always admitted: bans, deny lists, countries, the rate trigger and the per-address limit
    /// do not apply (the total limit still does), and no automatic ban is made.
    public var allowNetworks: [IPNetwork]
    /// Always refused (after the allow lists).
    public var denyNetworks: [IPNetwork]
    /// When not empty, only addresses from these countries (ISO 3166 alpha-2) are admitted.
    public var allowedCountries: Set<String>
    /// Addresses from these countries are refused.
    public var deniedCountries: Set<String>
    /// With `allowedCountries` set, whether an address with no known country is refused
    /// (private ranges and addresses missing from the GeoIP file have none).
    public var refuseUnknownCountry: Bool

    public init(allowNetworks: [IPNetwork] = [], denyNetworks: [IPNetwork] = [],
                allowedCountries: Set<String> = [], deniedCountries: Set<String> = [],
                refuseUnknownCountry: Bool = false) {
        self.allowNetworks = allowNetworks
        self.denyNetworks = denyNetworks
        self.allowedCountries = allowedCountries
        self.deniedCountries = deniedCountries
        self.refuseUnknownCountry = refuseUnknownCountry
    }
}

/// Concurrent connection limits of one service; nil means unlimited.
public struct ConnectionLimits: Sendable, Codable, Equatable, Hashable {
    public var perAddress: Int?
    public var total: Int?

    public init(perAddress: Int? = nil, total: Int? = nil) {
        self.perAddress = perAddress
        self.total = total
    }
}

/// The guard's configuration, with defaults for a small business server.
public struct GuardPolicy: Sendable, Codable, Equatable {
    /// Length of an automatic ban when `escalation` is empty.
    public var banDuration: TimeInterval = 24 * 3600
    /// Ban lengths for a first, second, third … offence (e.g. 24 h, 7 d, 30 d); the last step
    /// repeats. Empty: every ban lasts `banDuration`.
    public var escalation: [TimeInterval] = []
    /// After this many offences in a row the ban is permanent; nil: never.
    public var permanentAfterOffences: Int?
    /// A new offence counts as a repeat when it comes less than this long after the previous
    /// ban ended.
    public var escalationMemory: TimeInterval = 30 * 24 * 3600
    /// Automatic bans of an IPv6 client cover this prefix (128: the address; 64: its subnet,
    /// since one customer usually holds a whole /64). Offences are counted per that prefix.
    public var ipv6BanPrefixLength: Int = 128
    public var triggers = Triggers()
    /// Never refused, never banned. By default the loopback HOSTS only: 127.0.0.2 and the
    /// rest of 127.0.0.0/8 are ordinary clients.
    public var neverBan: [IPNetwork] = [.loopbackV4Host, .loopbackV6Host]
    /// Rules for all services.
    public var access = AccessRules()
    /// Extra rules per service, added to `access`.
    public var serviceAccess: [GuardService: AccessRules] = [:]
    public var connectionLimits: [GuardService: ConnectionLimits] = [
        .smtp: ConnectionLimits(perAddress: 10, total: 500),
        .imap: ConnectionLimits(perAddress: 50, total: 1000),
        .pop3: ConnectionLimits(perAddress: 10, total: 500),
    ]

    public init() {}

    /// The ban length of the `offence`-th offence in a row (1-based); nil for permanent.
    public func banLength(forOffence offence: Int) -> TimeInterval? {
        if let permanentAfterOffences, offence >= permanentAfterOffences { return nil }
        guard let last = escalation.last else { return banDuration }
        let step = max(offence, 1) - 1
        return step < escalation.count ? escalation[step] : last
    }
}
