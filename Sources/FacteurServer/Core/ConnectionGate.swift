import FacteurCore
import Foundation

/// Asked when a connection opens and told about misbehaviour; the guard implements it.
public protocol ConnectionGate: Sendable {
    /// nil = let in; otherwise the refusal text and rule name.
    func admit(remoteAddress: String, service: ServiceKind) -> GateRefusal?
    func connectionClosed(remoteAddress: String, service: ServiceKind)
    func offence(_ offence: SMTPOffence, remoteAddress: String, connection: ConnectionID, evidence: [String])
    func authResult(success: Bool, remoteAddress: String, service: ServiceKind, user: String, passwordDigest: String)
}

public struct GateRefusal: Sendable, Equatable {
    public var rule: String
    public var reason: String
    /// When the refusal ends (a ban's expiry), or nil.
    public var until: Date?
    public init(rule: String, reason: String, until: Date?) { self.rule = rule; self.reason = reason; self.until = until }
}

/// Lets everyone in and ignores offences.
public struct OpenGate: ConnectionGate {
    public init() {}
    public func admit(remoteAddress: String, service: ServiceKind) -> GateRefusal? { nil }
    public func connectionClosed(remoteAddress: String, service: ServiceKind) {}
    public func offence(_ offence: SMTPOffence, remoteAddress: String, connection: ConnectionID, evidence: [String]) {}
    public func authResult(success: Bool, remoteAddress: String, service: ServiceKind, user: String, passwordDigest: String) {}
}
