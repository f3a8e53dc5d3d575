import Foundation

/// One open connection as the Connections panel shows it.
public struct LiveConnection: Sendable, Equatable, Codable {
    public var info: ConnectionInfo
    public var user: String?
    /// Session state or last command ("EHLO", "AUTH", "IDLE" …).
    public var state: String
    public var bytesIn: UInt64
    public var bytesOut: UInt64

    public init(info: ConnectionInfo, user: String? = nil, state: String = "connected",
                bytesIn: UInt64 = 0, bytesOut: UInt64 = 0) {
        self.info = info; self.user = user; self.state = state; self.bytesIn = bytesIn; self.bytesOut = bytesOut
    }
}

/// A listener and whether it is up.
public struct ListenerStatus: Sendable, Equatable, Codable {
    public var service: ServiceKind
    public var address: String
    public var tls: Bool
    /// nil = listening; otherwise why it failed.
    public var error: String?

    public init(service: ServiceKind, address: String, tls: Bool, error: String? = nil) {
        self.service = service; self.address = address; self.tls = tls; self.error = error
    }
}

/// One row of the Rejections panel: identical refusals (same address, rule and reason) fold
/// into one row whose count grows.
public struct RejectionEntry: Sendable, Equatable, Codable {
    public var rejection: Rejection
    public var firstSeen: Date
    public var lastSeen: Date
    public var count: Int

    public var foldKey: String { rejection.remoteAddress + "\u{0}" + rejection.rule + "\u{0}" + rejection.reason }
}

/// One server log line.
public struct LogLine: Sendable, Equatable, Codable {
    public var time: Date
    public var level: LogLevel
    public var message: String

    public init(time: Date, level: LogLevel, message: String) {
        self.time = time; self.level = level; self.message = message
    }
}

/// Running totals since the server started.
public struct ActivityCounters: Sendable, Equatable, Codable {
    public var connections = 0
    public var deliveries = 0
    public var rejections = 0
    public var bans = 0
    public var authFailures = 0
    /// SPF/DKIM/DMARC, greylisting, spam, Junk.
    public var checks = CheckCounters()
    public init() {}
}
