import Foundation

/// The service a connection or listener belongs to.
public enum ServiceKind: String, Sendable, Codable, CaseIterable {
    case smtp, imap, pop3
}

/// Identifies one client connection for its whole life.
public struct ConnectionID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let raw: UInt64
    public init(_ raw: UInt64) { self.raw = raw }
    public var description: String { "#\(raw)" }
}

/// What is known about a connection when it opens.
public struct ConnectionInfo: Sendable, Equatable, Codable {
    public var id: ConnectionID
    public var service: ServiceKind
    /// Client address as text without port ("192.0.2.7", "2001:db8::1").
    public var remoteAddress: String
    public var remotePort: Int
    /// Local listener address ("0.0.0.0:25").
    public var localAddress: String
    public var tls: Bool
    public var opened: Date

    public init(id: ConnectionID, service: ServiceKind, remoteAddress: String, remotePort: Int,
                localAddress: String, tls: Bool, opened: Date) {
        self.id = id; self.service = service; self.remoteAddress = remoteAddress
        self.remotePort = remotePort; self.localAddress = localAddress; self.tls = tls; self.opened = opened
    }
}

/// A refused attempt: relay, unknown user, banned address, bad password, protocol abuse …
public struct Rejection: Sendable, Equatable, Codable {
    public var connection: ConnectionID?
    public var service: ServiceKind
    public var remoteAddress: String
    /// Machine name of the rule that refused ("relay", "unknown-recipient", "banned", "auth", "protocol", "size", …).
    public var rule: String
    /// Human reason, as sent to the client or logged.
    public var reason: String
    public var sender: String?
    public var recipient: String?
    public var user: String?
    /// What the end-of-DATA checks found, when they refused the message.
    public var checks: CheckOutcome?

    public init(connection: ConnectionID?, service: ServiceKind, remoteAddress: String, rule: String,
                reason: String, sender: String? = nil, recipient: String? = nil, user: String? = nil,
                checks: CheckOutcome? = nil) {
        self.connection = connection; self.service = service; self.remoteAddress = remoteAddress
        self.rule = rule; self.reason = reason; self.sender = sender; self.recipient = recipient; self.user = user
        self.checks = checks
    }
}

/// A message stored durably in local Maildirs.
public struct Delivery: Sendable, Equatable, Codable {
    public var connection: ConnectionID?
    public var remoteAddress: String
    public var sender: String
    /// Local mailbox owners ("alice@example.com") the message was stored for.
    public var recipients: [String]
    public var size: Int
    public var subject: String?
    /// What the end-of-DATA checks found (nil when none ran).
    public var checks: CheckOutcome?

    public init(connection: ConnectionID?, remoteAddress: String, sender: String, recipients: [String],
                size: Int, subject: String? = nil, checks: CheckOutcome? = nil) {
        self.connection = connection; self.remoteAddress = remoteAddress; self.sender = sender
        self.recipients = recipients; self.size = size; self.subject = subject; self.checks = checks
    }
}

/// A ban as it is shown to the outside (console, `facteur bans`).
public struct BanInfo: Sendable, Equatable, Codable {
    public enum Source: String, Sendable, Codable { case automatic, manual }
    /// IP or CIDR ("192.0.2.7/32", "2001:db8::/48").
    public var network: String
    public var rule: String
    public var reason: String
    public var evidence: [String]
    public var source: Source
    public var created: Date
    /// nil = permanent.
    public var expires: Date?
    public var hits: Int

    public init(network: String, rule: String, reason: String, evidence: [String], source: Source,
                created: Date, expires: Date?, hits: Int) {
        self.network = network; self.rule = rule; self.reason = reason; self.evidence = evidence
        self.source = source; self.created = created; self.expires = expires; self.hits = hits
    }
}

/// The space left where mail and state are written, as the server last measured it.
public struct StorageStatus: Sendable, Equatable, Codable {
    /// The data folder measured.
    public var path: String
    public var freeBytes: UInt64
    /// Writes fail or are about to: deliveries get 451, flag changes NO, bans are kept in
    /// memory until they can be saved.
    public var full: Bool

    public init(path: String, freeBytes: UInt64, full: Bool) {
        self.path = path; self.freeBytes = freeBytes; self.full = full
    }
}

public enum LogLevel: String, Sendable, Codable, Comparable, CaseIterable {
    case debug, info, notice, warning, error
    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rank < b.rank }
}

/// One thing that happened in the server. The event stream is the only way out of the core:
/// the console, the guard and the log are all its consumers.
///
/// Codable (synthesised): the control socket carries events as they are, so a new case with
/// Codable payloads reaches attached consoles without any change to the control protocol.
public struct ServerEvent: Sendable, Codable {
    public enum Kind: Sendable, Codable {
        case listenerStarted(service: ServiceKind, address: String, tls: Bool)
        case listenerFailed(service: ServiceKind, address: String, error: String)
        case connectionOpened(ConnectionInfo)
        /// State changed: user logged in, last command, byte counters.
        case connectionUpdated(id: ConnectionID, user: String?, state: String, bytesIn: UInt64, bytesOut: UInt64)
        case connectionClosed(id: ConnectionID, bytesIn: UInt64, bytesOut: UInt64)
        /// A command and the reply code it got (SMTP code, or 0 OK / 1 NO / 2 BAD for IMAP, POP3 +OK=0/-ERR=1).
        case command(id: ConnectionID, service: ServiceKind, remoteAddress: String, verb: String, replyCode: Int)
        case rejected(Rejection)
        case delivered(Delivery)
        case authSucceeded(id: ConnectionID, service: ServiceKind, remoteAddress: String, user: String)
        case authFailed(id: ConnectionID, service: ServiceKind, remoteAddress: String, user: String, passwordDigest: String)
        case banned(BanInfo)
        /// Lifted by hand ("manual"), by expiry ("expired") or by a never_ban rule ("never-ban").
        case unbanned(network: String, why: String)
        case log(level: LogLevel, message: String)
        /// The disk became full or has room again (and once at start).
        case storage(StorageStatus)
    }

    public var time: Date
    public var kind: Kind

    public init(time: Date, kind: Kind) { self.time = time; self.kind = kind }
}
