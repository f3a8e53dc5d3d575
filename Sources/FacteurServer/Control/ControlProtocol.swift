import FacteurCore
import Foundation

/// One request on the admin control socket: a JSON object on one line.
public struct ControlRequest: Codable, Sendable, Equatable {
    public var command: String
    public var network: String?
    /// Seconds; nil with `permanent == false` means the default ban duration.
    public var duration: Double?
    public var permanent: Bool?
    public var reason: String?
    public var connection: UInt64?

    public init(command: String, network: String? = nil, duration: Double? = nil, permanent: Bool? = nil,
                reason: String? = nil, connection: UInt64? = nil) {
        self.command = command; self.network = network; self.duration = duration; self.permanent = permanent
        self.reason = reason; self.connection = connection
    }
}

/// The answer: a JSON object on one line.
public struct ControlResponse: Codable, Sendable {
    public var ok: Bool
    public var message: String
    public var bans: [BanInfo]?

    public init(ok: Bool, message: String, bans: [BanInfo]? = nil) {
        self.ok = ok; self.message = message; self.bans = bans
    }
}

/// The command interface into a server: the control socket, the console and tests all use it.
public protocol ServerCommands: Sendable {
    func handle(_ request: ControlRequest) -> ControlResponse
}
