import ArgumentParser
import FacteurCore
import FacteurServer
import FacteurStore
import Foundation
import FacteurMIME
import FacteurNet

/// Sends a command to the running server; nil when no server runs (then the tools act on the database).
func tryServer(_ config: Config, _ command: ControlCommand) -> ControlReply? {
    guard FileManager.default.fileExists(atPath: config.controlSocketPath) else { return nil }
    let connection: ControlConnection
    do { connection = try ControlConnection(path: config.controlSocketPath, client: "cli") }
    catch let e where e.kind == .noServer { return nil }
    catch { fail("\(error)") }
    defer { connection.close() }
    return connection.requestBlocking(command)
}

func parseNetwork(_ text: String) -> String {
    let t = text.trimmingCharacters(in: .whitespaces)
    guard IPNetwork(t) != nil else { fail("'\(text)' is not an IP address or CIDR network") }
    return t
}

/// Sends `request` to a running server and prints its answer; false when no server runs.
func askServer(_ config: Config, _ request: ControlCommand) -> Bool {
    guard let r = tryServer(config, request) else { return false }
    guard r.ok else { fail(r.message) }
    print(r.message)
    return true
}

struct BanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ban", abstract: "Refuse an address or network (acts at once on a running server).")
    @OptionGroup var options: ConfigOption
    @Argument(help: "IP address or CIDR network, IPv4 or IPv6") var network: String
    @Option(name: .customLong("for"), help: "Duration, e.g. 24h, 7d (default: [guard] ban_duration)") var duration: String?
    @Flag(help: "Never expires.") var permanent = false
    @Option(help: "Why (shown to the client and in the console).") var reason: String = "banned by the administrator"

    func run() throws {
        let config = try options.load()
        let net = parseNetwork(network)
        var seconds: TimeInterval?
        if let duration {
            guard let d = DurationText.parse(duration), d > 0 else { fail("--for takes a duration like 30m, 24h or 7d") }
            seconds = d
        }
        if permanent && seconds != nil { fail("--for and --permanent exclude each other") }
        let req = ControlCommand.ban(network: net, duration: seconds, permanent: permanent, reason: reason)
        if askServer(config, req) { return }
        // No server: the database keeps it for the next start.
        let now = Date()
        let ban = BanInfo(network: net, rule: "manual", reason: reason, evidence: ["banned by the administrator"], source: .manual,
                          created: now, expires: permanent ? nil : now.addingTimeInterval(seconds ?? config.guardSettings.banDuration), hits: 0)
        try openDatabase(config).saveBan(ban)
        print("banned \(net) \(ban.expires.map { "until \(RFC5322Date.format($0))" } ?? "permanently") (no server running: saved for its next start)")
    }
}

struct UnbanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unban", abstract: "Lift a ban.")
    @OptionGroup var options: ConfigOption
    @Argument var network: String

    func run() throws {
        let config = try options.load()
        let net = parseNetwork(network)
        if askServer(config, .unban(network: net)) { return }
        let db = openDatabase(config)
        let candidates = [net, net.contains("/") ? net : (net.contains(":") ? "\(net)/128" : "\(net)/32")]
        var removed = false
        for c in candidates where try db.deleteBan(c) { removed = true }
        guard removed else { fail("no ban for \(net)") }
        print("unbanned \(net)")
    }
}

struct AllowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "allow", abstract: "Never ban an address or network; lifts its bans.")
    @OptionGroup var options: ConfigOption
    @Argument var network: String

    func run() throws {
        let config = try options.load()
        let net = parseNetwork(network)
        if askServer(config, .allow(network: net)) { return }
        try openDatabase(config).addAllowedNetwork(net)
        print("\(net) will never be banned (applies at the next start; bans inside it are lifted then)")
    }
}

struct BansCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bans", abstract: "List bans with their remaining time.")
    @OptionGroup var options: ConfigOption
    @Flag(help: "JSON output.") var json = false

    func run() throws {
        let config = try options.load()
        let bans: [BanInfo]
        if let r = tryServer(config, .bans) {
            bans = r.bans ?? []
        } else {
            let now = Date()
            bans = try openDatabase(config).bans().map(\.ban).filter { ($0.expires ?? .distantFuture) > now }
        }
        let now = Date()
        if json {
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            enc.dateEncodingStrategy = .iso8601
            struct Row: Encodable {
                var ban: BanInfo
                var remaining_seconds: Int?
                func encode(to e: Encoder) throws {
                    try ban.encode(to: e)
                    var c = e.container(keyedBy: K.self)
                    try c.encode(remaining_seconds, forKey: .remaining_seconds)
                }
                enum K: String, CodingKey { case remaining_seconds }
            }
            let rows = bans.map { Row(ban: $0, remaining_seconds: $0.expires.map { max(0, Int($0.timeIntervalSince(now))) }) }
            print(String(decoding: try enc.encode(rows), as: UTF8.self))
            return
        }
        if bans.isEmpty { print("no bans"); return }
        print("NETWORK                                  LEFT        SOURCE     RULE               HITS  REASON")
        for b in bans.sorted(by: { $0.created > $1.created }) {
            let left = b.expires.map { DurationText.format($0.timeIntervalSince(now)) } ?? "permanent"
            print("\(b.network.padding(toLength: 40, withPad: " ", startingAt: 0)) \(left.padding(toLength: 11, withPad: " ", startingAt: 0)) \(b.source.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(b.rule.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(b.hits).padding(toLength: 5, withPad: " ", startingAt: 0)) \(b.reason)")
        }
    }
}
