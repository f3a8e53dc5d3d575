import Foundation
import FacteurNet

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
