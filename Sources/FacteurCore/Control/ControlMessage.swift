import Foundation

/// The admin control protocol (docs/control-protocol.md): the console, the command-line tools
/// and the tests all speak it to a running server over `<data_dir>/control.sock`.
public enum ControlProtocol {
    public static let name = "facteur-control"
    /// Raised on any incompatible change; both sides refuse a peer of another version.
    /// 2: the snapshot's bans are a compact table (`BanTable`), counters include the mail checks.
    public static let version = 2
}

/// First frame from the client.
public struct ClientHello: Codable, Sendable, Equatable {
    public var `protocol`: String
    public var version: Int
    /// "console", "cli", "test" …: for the server's log.
    public var client: String
    public init(protocol: String = ControlProtocol.name, version: Int = ControlProtocol.version, client: String) {
        self.protocol = `protocol`; self.version = version; self.client = client
    }
}

/// First frame from the server, sent as soon as a permitted peer connects. Its shape never
/// changes between versions, so that any client can read it and explain a version mismatch.
public struct ServerHello: Codable, Sendable, Equatable {
    public var `protocol`: String
    public var version: Int
    public var pid: Int32
    public var started: Date
    public var serverVersion: String
    /// The `show_bodies` setting: false hides message bodies in consoles.
    public var showBodies: Bool
    public init(protocol: String = ControlProtocol.name, version: Int = ControlProtocol.version, pid: Int32,
                started: Date, serverVersion: String, showBodies: Bool) {
        self.protocol = `protocol`; self.version = version; self.pid = pid; self.started = started
        self.serverVersion = serverVersion; self.showBodies = showBodies
    }
}

/// Every command the server takes. Each gets exactly one `reply` with the request's id.
public enum ControlCommand: Codable, Sendable, Equatable {
    case status
    /// The snapshot now, then every event as it happens (and a new snapshot after a drop).
    case watch
    case listeners
    case bans
    /// `duration` in seconds; nil and not permanent = the configured default.
    case ban(network: String, duration: Double?, permanent: Bool, reason: String?)
    case unban(network: String)
    case extend(network: String, duration: Double)
    case permanent(network: String)
    case allow(network: String)
    case kick(connection: UInt64)
    /// Reload users and aliases.
    case reload
    case users
    case folders(user: String)
    case messages(user: String, folder: String)
    /// The raw stored message; reading it changes no flag.
    case message(user: String, folder: String, id: String)
    case addUser(address: String, password: String)
    case setPassword(user: String, password: String)
    case deleteUser(address: String)
    /// What deleting this user would do to their mail (one sentence).
    case deletionNotice(user: String)
    /// The router / DNS checklist: the last result, or a new run.
    case checklist(rerun: Bool)
    /// Stop the server gracefully (the console that started it, on quit).
    case shutdown

    /// The command as it is logged: never a password.
    public var logDescription: String {
        switch self {
        case let .addUser(address, _): return "addUser(\(address))"
        case let .setPassword(user, _): return "setPassword(\(user))"
        case let .ban(network, duration, permanent, reason):
            return "ban(network: \"\(network)\", duration: \(duration.map { "\(Int($0)) s" } ?? "default"), permanent: \(permanent), reason: \"\(reason ?? "")\")"
        default: return "\(self)"
        }
    }
}

public enum ClientMessage: Codable, Sendable, Equatable {
    case hello(ClientHello)
    case request(id: UInt64, command: ControlCommand)
}

/// The answer to one command. `ok` and `message` always; the payload that fits the command.
public struct ControlReply: Codable, Sendable, Equatable {
    public var ok: Bool
    public var message: String
    public var bans: [BanInfo]?
    public var listeners: [ListenerStatus]?
    public var users: [MailboxUserSummary]?
    public var folders: [FolderSummary]?
    public var messages: [MessageSummary]?
    public var raw: Data?
    public var checklist: [RouterCheckLine]?

    public init(ok: Bool, message: String, bans: [BanInfo]? = nil, listeners: [ListenerStatus]? = nil,
                users: [MailboxUserSummary]? = nil, folders: [FolderSummary]? = nil, messages: [MessageSummary]? = nil,
                raw: Data? = nil, checklist: [RouterCheckLine]? = nil) {
        self.ok = ok; self.message = message; self.bans = bans; self.listeners = listeners; self.users = users
        self.folders = folders; self.messages = messages; self.raw = raw; self.checklist = checklist
    }

    public static func failure(_ message: String) -> ControlReply { ControlReply(ok: false, message: message) }
    public var result: ActionResult { ActionResult(ok: ok, message: message) }
}

/// Everything a console shows at once, sent after `watch` and after dropped events.
public struct ControlSnapshot: Codable, Sendable {
    public var activity: ServerActivity
    public var listeners: [ListenerStatus]
    /// Recent log-worthy events, oldest first (the console formats its Log panel from them).
    public var recentEvents: [ServerEvent]
    /// The last checklist result, when one ran.
    public var checklist: [RouterCheckLine]?

    public init(activity: ServerActivity, listeners: [ListenerStatus], recentEvents: [ServerEvent], checklist: [RouterCheckLine]?) {
        self.activity = activity; self.listeners = listeners; self.recentEvents = recentEvents; self.checklist = checklist
    }
}

public enum ServerMessage: Codable, Sendable {
    case hello(ServerHello)
    /// The server will not talk to this client (wrong version, not permitted); it closes next.
    case refused(reason: String)
    case reply(id: UInt64, reply: ControlReply)
    case snapshot(ControlSnapshot)
    case events([ServerEvent])
    /// This many events were dropped because the client read too slowly; a snapshot follows.
    case dropped(count: Int)
}

/// JSON in frames, with one encoder configuration for every message.
public enum ControlCodec {
    public struct Malformed: Error, CustomStringConvertible {
        public var description: String
    }

    public static func frame<T: Encodable>(_ message: T) throws -> [UInt8] {
        ControlFrame.encode(try payload(message))
    }

    public static func payload<T: Encodable>(_ message: T) throws -> [UInt8] {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .secondsSince1970
        return Array(try e.encode(message))
    }

    public static func decode<T: Decodable>(_ type: T.Type, from payload: [UInt8]) throws(Malformed) -> T {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .secondsSince1970
        do { return try d.decode(type, from: Data(payload)) } catch {
            throw Malformed(description: "malformed control message: \(error)")
        }
    }

    /// Reads just the version out of a hello, whatever else it holds, so that a peer of another
    /// version gets a clear message instead of a decoding error.
    public static func helloVersion(from payload: [UInt8]) -> (protocol: String, version: Int)? {
        struct Peek: Decodable {
            struct Inner: Decodable { var `protocol`: String; var version: Int }
            struct Case: Decodable { var _0: Inner }
            var hello: Case
        }
        guard let p = try? JSONDecoder().decode(Peek.self, from: Data(payload)) else { return nil }
        return (p.hello._0.protocol, p.hello._0.version)
    }
}
