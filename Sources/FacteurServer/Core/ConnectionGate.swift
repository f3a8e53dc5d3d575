import FacteurCore
import Foundation
import FacteurMIME

/// Asked when a connection opens and told about misbehaviour; the guard implements it.
public protocol ConnectionGate: Sendable {
    /// nil = let in; otherwise the refusal. An admitted connection must later be closed with
    /// `connectionClosed` exactly once; a refused one must not.
    func admit(remoteAddress: String, service: ServiceKind, connection: ConnectionID) -> GateRefusal?
    /// Checks that need the network (DNSBL), for SMTP before the greeting. nil = let in.
    func slowChecks(remoteAddress: String, service: ServiceKind) async -> GateRefusal?
    /// Whether `slowChecks` does anything for this service (so the greeting is not delayed for nothing).
    func hasSlowChecks(_ service: ServiceKind) -> Bool
    func connectionClosed(remoteAddress: String, service: ServiceKind, connection: ConnectionID)
    func offence(_ offence: SMTPOffence, remoteAddress: String, service: ServiceKind, connection: ConnectionID, evidence: [String])
    func authResult(success: Bool, remoteAddress: String, service: ServiceKind, connection: ConnectionID,
                    user: String, passwordDigest: String)
    /// Counts a connection refused for the total limit as open after all: the server closed an
    /// idle one to make room. It must later be closed with `connectionClosed`.
    func admitInPlaceOfEvicted(remoteAddress: String, service: ServiceKind, connection: ConnectionID)
    /// Asked before a password is verified: refused when a ban covers the address (nothing is
    /// verified), otherwise how long to wait first (`AuthPenalty`).
    func loginAttempt(remoteAddress: String, service: ServiceKind) -> LoginAdmission
    /// A password was wrong: how long to hold the reply back (grows with every failure from
    /// the address). Called before `authResult`.
    func loginFailedDelay(remoteAddress: String, service: ServiceKind) -> TimeInterval
    /// The ban in force that covers the address for `service` (no side effect), if any.
    func banRefusal(remoteAddress: String, service: ServiceKind) -> GateRefusal?
}

/// The answer to a login about to be verified.
public enum LoginAdmission: Sendable, Equatable {
    case proceed(after: TimeInterval)
    case refused(GateRefusal)
}

extension ConnectionGate {
    public func admitInPlaceOfEvicted(remoteAddress: String, service: ServiceKind, connection: ConnectionID) {}
    public func loginAttempt(remoteAddress: String, service: ServiceKind) -> LoginAdmission { .proceed(after: 0) }
    public func loginFailedDelay(remoteAddress: String, service: ServiceKind) -> TimeInterval { 0 }
    public func banRefusal(remoteAddress: String, service: ServiceKind) -> GateRefusal? { nil }
}

public struct GateRefusal: Sendable, Hashable {
    public var rule: String
    public var reason: String
    /// When the refusal ends (a ban's expiry), or nil.
    public var until: Date?
    public init(rule: String, reason: String, until: Date?) { self.rule = rule; self.reason = reason; self.until = until }

    /// "relaying attempted (until Mon, 30 Nov 2026 06:21:24 +0000)"
    public var text: String {
        if let until { return "\(reason) (until \(RFC5322Date.format(until)))" }
        return reason
    }
}

/// Lets everyone in and ignores offences.
public struct OpenGate: ConnectionGate {
    public init() {}
    public func admit(remoteAddress: String, service: ServiceKind, connection: ConnectionID) -> GateRefusal? { nil }
    public func slowChecks(remoteAddress: String, service: ServiceKind) async -> GateRefusal? { nil }
    public func hasSlowChecks(_ service: ServiceKind) -> Bool { false }
    public func connectionClosed(remoteAddress: String, service: ServiceKind, connection: ConnectionID) {}
    public func offence(_ offence: SMTPOffence, remoteAddress: String, service: ServiceKind, connection: ConnectionID, evidence: [String]) {}
    public func authResult(success: Bool, remoteAddress: String, service: ServiceKind, connection: ConnectionID,
                           user: String, passwordDigest: String) {}
}
