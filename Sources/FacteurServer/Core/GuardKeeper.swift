import FacteurCore
import FacteurDNS
import FacteurGuard
import FacteurStore
import Foundation
import Synchronization
import FacteurNet

/// The guard at work: the pure `Guard` value behind a lock, its bans kept in the database, its
/// decisions published on the event stream, expiry every second, list files reloaded when they
/// change, GeoIP countries and DNSBL checks.
public final class GuardKeeper: ConnectionGate {
    let state: Mutex<Guard>
    let database: FacteurDatabase
    let hub: EventHub
    let clock: @Sendable () -> Date
    let settings: Config.Guard
    let geoip: MaxMindDB?
    let dnsbl: [DNSBLCheck]
    let resolver: DNSResolver?
    private let dnsblCache = Mutex(DNSCache<Bool>())
    /// Database writes happen off the event loops, in order.
    private let writer = DispatchQueue(label: "facteur.guard.db")
    private let listFiles: Mutex<[String: Date]>
    private let dirtyHits = Mutex<Set<IPNetwork>>([])
    /// Bans that could not be saved, by network, with their offence count (`save`).
    private let unsaved = Mutex<[String: (BanInfo, Int)]>([:])
    /// Failed passwords slow further attempts from the same address (`AuthPenalty`).
    private let penalty: Mutex<AuthPenalty>
    let services: [GuardService: Config.Service]

    public init(config: Config, database: FacteurDatabase, hub: EventHub, clock: @escaping @Sendable () -> Date) throws {
        self.database = database
        self.hub = hub
        self.clock = clock
        self.settings = config.guardSettings
        penalty = Mutex(AuthPenalty(settings: .init(base: config.guardSettings.authFailureDelay,
                                                    maximum: config.guardSettings.authFailureDelayMax)))
        let source = config.source ?? "built-in configuration"
        if let path = settings.geoipDB {
            do { geoip = try MaxMindDB(contentsOf: URL(fileURLWithPath: path)) }
            catch { throw ConfigError(file: source, line: nil, message: "[guard] geoip_db \(path): \(error)") }
        } else {
            geoip = nil
        }
        dnsbl = settings.dnsbl.map { DNSBLCheck(zone: $0) }
        resolver = dnsbl.isEmpty ? nil : RouterCheck.resolver(config)
        var files: [String: Date] = [:]
        for f in settings.denyFiles + settings.allowFiles { files[f] = Self.mtime(f) }
        listFiles = Mutex(files)
        services = [.smtp: config.smtpListen, .imap: config.imap, .pop3: config.pop3]
        let policy = try Self.policy(settings, services: services, source: source)
        var g = Guard(policy: policy)
        let now = clock()
        let stored = try database.bans()
        var loaded: [Ban] = []
        for (info, offences) in stored {
            guard let b = Self.ban(from: info, offences: offences) else { continue }
            loaded.append(b)
        }
        let ended = g.load(bans: loaded, now: now)
        for allowed in try database.allowedNetworks() {
            if let n = IPNetwork(allowed) { _ = g.addNeverBan(n) }
        }
        state = Mutex(g)
        for b in ended {
            _ = try? database.deleteBan(b.network.description)
            hub.publish(.unbanned(network: b.network.description, why: "expired"))
        }
    }

    // MARK: Policy from configuration

    static func networks(_ list: [String], key: String, source: String) throws -> [IPNetwork] {
        try list.map { text in
            guard let n = IPNetwork(text) else {
                throw ConfigError(file: source, line: nil, message: "[guard] \(key): '\(text)' is not an IP address or CIDR network")
            }
            return n
        }
    }

    static func policy(_ s: Config.Guard, services: [GuardService: Config.Service], source: String) throws -> GuardPolicy {
        var p = GuardPolicy()
        p.banDuration = s.banDuration
        p.escalation = s.escalation
        p.neverBan = try networks(s.neverBan, key: "never_ban", source: source)
        p.triggers.relayAttempt.perAddress = s.relayAttempts
        p.triggers.relayAttempt.enabled = s.relayAttempts > 0
        p.triggers.unknownRecipient.perSession = s.unknownRecipientsPerSession > 0 ? s.unknownRecipientsPerSession : nil
        p.triggers.unknownRecipient.perAddress = s.unknownRecipientsPerHour > 0 ? s.unknownRecipientsPerHour : nil
        p.triggers.unknownRecipient.enabled = s.unknownRecipientsPerSession > 0 || s.unknownRecipientsPerHour > 0
        p.triggers.authFailure.perAddress = s.failedLogins
        p.triggers.authFailure.window = s.failedLoginWindow
        p.triggers.authFailure.enabled = s.failedLogins > 0
        p.triggers.badCommand.perSession = s.badCommands
        p.triggers.badCommand.enabled = s.badCommands > 0
        p.triggers.connectionRate.maxConnections = s.connectionsPerMinute
        p.triggers.connectionRate.enabled = s.connectionsPerMinute > 0
        var deny = try networks(s.deny, key: "deny", source: source)
        var allow = try networks(s.allow, key: "allow", source: source)
        for f in s.denyFiles { deny += try listFile(f, source: source) }
        for f in s.allowFiles { allow += try listFile(f, source: source) }
        p.access = AccessRules(allowNetworks: allow, denyNetworks: deny,
                               allowedCountries: Set(s.allowCountries), deniedCountries: Set(s.denyCountries))
        for (service, svc) in services where !svc.deny.isEmpty || !svc.allow.isEmpty {
            p.serviceAccess[service] = AccessRules(allowNetworks: try networks(svc.allow, key: "[\(service.rawValue)] allow", source: source),
                                                   denyNetworks: try networks(svc.deny, key: "[\(service.rawValue)] deny", source: source))
        }
        for service in GuardService.allCases {
            p.connectionLimits[service] = ConnectionLimits(perAddress: s.maxConnectionsPerIP > 0 ? s.maxConnectionsPerIP : nil,
                                                           total: s.maxConnections > 0 ? s.maxConnections : nil)
        }
        return p
    }

    static func listFile(_ path: String, source: String) throws -> [IPNetwork] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError(file: source, line: nil, message: "[guard] cannot read list file \(path)")
        }
        do { return try parseNetworkList(text: text) }
        catch { throw ConfigError(file: path, line: nil, message: "\(error)") }
    }

    static func mtime(_ path: String) -> Date {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date) ?? .distantPast
    }

    /// Re-reads deny/allow list files whose modification time changed.
    public func reloadListsIfChanged() {
        let changed = listFiles.withLock { files -> Bool in
            var any = false
            for (f, old) in files {
                let m = Self.mtime(f)
                if m != old { files[f] = m; any = true }
            }
            return any
        }
        guard changed else { return }
        do {
            let p = try Self.policy(settings, services: services, source: "list files")
            let lifted = state.withLock { $0.apply(policy: p) }
            for b in lifted { unbanned(b, why: "never-ban") }
            hub.publish(.log(level: .notice, message: "guard: deny/allow list files reloaded"))
        } catch {
            hub.publish(.log(level: .error, message: "guard: list file not reloaded: \(error)"))
        }
    }

    // MARK: Conversions

    static func info(_ b: Ban) -> BanInfo {
        BanInfo(network: b.network.description, rule: b.rule.rawValue, reason: b.reason, evidence: b.evidence,
                source: b.source == .manual ? .manual : .automatic, created: b.created, expires: b.expires, hits: b.hits)
    }

    static func ban(from i: BanInfo, offences: Int) -> Ban? {
        guard let n = IPNetwork(i.network) else { return nil }
        return Ban(network: n, rule: GuardRule(rawValue: i.rule) ?? .manual, reason: i.reason, evidence: i.evidence,
                   source: i.source == .manual ? .manual : .automatic, created: i.created, expires: i.expires,
                   hits: i.hits, offenceCount: offences)
    }

    private func persist(_ b: Ban) {
        let info = Self.info(b), offences = b.offenceCount
        writer.async { [self] in save(info, offences: offences) }
    }

    /// On the writer queue. A ban that cannot be saved (a full disk) is enforced all the same
    /// and kept in `unsaved`, which `retryUnsavedBans` tries again until it is saved.
    private func save(_ info: BanInfo, offences: Int) {
        do {
            try database.saveBan(info, offences: offences)
            let wasPending = unsaved.withLock { $0.removeValue(forKey: info.network) != nil }
            if wasPending { hub.publish(.log(level: .notice, message: "guard: ban of \(info.network) saved")) }
        } catch {
            let first = unsaved.withLock { u in
                defer { u[info.network] = (info, offences) }
                return u[info.network] == nil
            }
            if first { hub.publish(.log(level: .error, message: "guard: cannot save ban of \(info.network) (retrying): \(error)")) }
        }
    }

    /// Tries again to save the bans that could not be saved; called every few seconds.
    public func retryUnsavedBans() {
        writer.async { [self] in
            for (info, offences) in unsaved.withLock({ Array($0.values) }) { save(info, offences: offences) }
        }
    }

    /// Bans enforced but not saved yet.
    public var unsavedBanCount: Int { unsaved.withLock { $0.count } }

    private func forget(_ network: String) {
        writer.async { [self] in
            unsaved.withLock { _ = $0.removeValue(forKey: network) }
            _ = try? database.deleteBan(network)
        }
    }

    private func banned(_ b: Ban) {
        persist(b)
        hub.publish(.banned(Self.info(b)))
    }

    private func unbanned(_ b: Ban, why: String) {
        forget(b.network.description)
        hub.publish(.unbanned(network: b.network.description, why: why))
    }

    /// Waits until every queued database write is done (tests, shutdown).
    public func flush() {
        flushHits()
        writer.sync {}
    }

    // MARK: ConnectionGate

    public func country(of address: String) -> String? {
        guard let geoip, let a = IPAddress(address) else { return nil }
        return geoip.country(for: a)
    }

    public func admit(remoteAddress: String, service: ServiceKind, connection: ConnectionID) -> GateRefusal? {
        guard let address = IPAddress(remoteAddress), let svc = GuardService(rawValue: service.rawValue) else { return nil }
        let country = geoip?.country(for: address)
        let now = clock()
        let admission = state.withLock { $0.admit(address: address, service: svc, now: now, country: country) }
        switch admission {
        case .allow:
            return nil
        case .refuse(let r):
            if let b = r.ban {
                if r.isNewBan { banned(b) } else { _ = dirtyHits.withLock { $0.insert(b.network) } }
            }
            return GateRefusal(rule: r.rule.rawValue, reason: r.reason, until: r.until)
        }
    }

    public func hasSlowChecks(_ service: ServiceKind) -> Bool { service == .smtp && !dnsbl.isEmpty && resolver != nil }

    public func slowChecks(remoteAddress: String, service: ServiceKind) async -> GateRefusal? {
        guard hasSlowChecks(service), let resolver, let address = IPAddress(remoteAddress) else { return nil }
        guard !state.withLock({ $0.isNeverBanned(address) }) else { return nil }
        for check in dnsbl {
            let key = DNSCache<Bool>.Key(name: "\(remoteAddress).\(check.zone)", type: .a)
            let now = clock()
            let cached = dnsblCache.withLock { $0.value(for: key, now: now) }
            let listed: Bool
            if let cached {
                listed = cached
            } else {
                let verdict = await check.check(remoteAddress, using: resolver)
                switch verdict {
                case .listed: listed = true
                case .notListed: listed = false
                default: continue // unavailable or refused: never block mail on a broken list
                }
                dnsblCache.withLock { $0.insert(listed, for: key, ttl: listed ? 3600 : 900, now: now) }
            }
            if listed {
                let reason = "listed in \(check.zone)"
                if settings.dnsblBan, let n = IPNetwork(remoteAddress) {
                    let b = try? state.withLock { g throws(GuardError) -> Ban in
                        try g.ban(network: n, reason: reason, evidence: ["DNSBL \(check.zone) lists \(remoteAddress)"], now: now)
                    }
                    if let b { banned(b) }
                }
                return GateRefusal(rule: "dnsbl", reason: reason, until: nil)
            }
        }
        return nil
    }

    public func connectionClosed(remoteAddress: String, service: ServiceKind, connection: ConnectionID) {
        guard let address = IPAddress(remoteAddress), let svc = GuardService(rawValue: service.rawValue) else { return }
        state.withLock { $0.disconnect(address: address, service: svc, sessionID: connection.raw) }
    }

    public func offence(_ offence: SMTPOffence, remoteAddress: String, service: ServiceKind, connection: ConnectionID, evidence: [String]) {
        let o: Offence
        switch offence {
        case .relayAttempt: o = .relayAttempt
        case .unknownRecipient: o = .unknownRecipient
        case .badCommand, .flood: o = .badCommand
        case .overlongLine: o = .overlongLine
        case .smuggling, .tlsInjection: o = .smuggling
        case .prematureTalk: o = .prematureTalk
        }
        record(o, remoteAddress: remoteAddress, service: service, connection: connection, evidence: evidence)
    }

    public func authResult(success: Bool, remoteAddress: String, service: ServiceKind, connection: ConnectionID,
                           user: String, passwordDigest: String) {
        if success, let address = IPAddress(remoteAddress) { penalty.withLock { $0.succeeded(from: address) } }
        record(success ? .authSuccess : .authFailure(passwordDigest: passwordDigest), remoteAddress: remoteAddress,
               service: service, connection: connection, evidence: success ? [] : ["\(service.rawValue.uppercased()) login failed for \(user)"])
    }

    private func record(_ o: Offence, remoteAddress: String, service: ServiceKind, connection: ConnectionID, evidence: [String]) {
        guard let address = IPAddress(remoteAddress), let svc = GuardService(rawValue: service.rawValue) else { return }
        let now = clock()
        let actions = state.withLock { $0.record(o, address: address, service: svc, sessionID: connection.raw, evidence: evidence, now: now) }
        for case .banned(let b) in actions { banned(b) }
    }

    public func admitInPlaceOfEvicted(remoteAddress: String, service: ServiceKind, connection: ConnectionID) {
        guard let address = IPAddress(remoteAddress), let svc = GuardService(rawValue: service.rawValue) else { return }
        state.withLock { $0.admitInPlaceOfEvicted(address: address, service: svc) }
    }

    public func loginAttempt(remoteAddress: String, service: ServiceKind) -> LoginAdmission {
        if let refusal = banRefusal(remoteAddress: remoteAddress, service: service) { return .refused(refusal) }
        guard let address = IPAddress(remoteAddress), !trusted(address, service) else { return .proceed(after: 0) }
        let now = clock()
        return .proceed(after: penalty.withLock { $0.attempt(from: address, now: now) })
    }

    /// Never-ban and allow networks: no ban applies and no penalty slows their logins.
    private func trusted(_ address: IPAddress, _ service: ServiceKind) -> Bool {
        guard let svc = GuardService(rawValue: service.rawValue) else { return false }
        return state.withLock { $0.bypassesBans(address, service: svc) }
    }

    public func banRefusal(remoteAddress: String, service: ServiceKind) -> GateRefusal? {
        guard let address = IPAddress(remoteAddress), let svc = GuardService(rawValue: service.rawValue) else { return nil }
        let now = clock()
        let ban = state.withLock { g -> Ban? in g.bypassesBans(address, service: svc) ? nil : g.activeBan(covering: address, now: now) }
        return ban.map { GateRefusal(rule: $0.rule.rawValue, reason: $0.reason, until: $0.expires) }
    }

    public func loginFailedDelay(remoteAddress: String, service: ServiceKind) -> TimeInterval {
        guard let address = IPAddress(remoteAddress), !trusted(address, service) else { return 0 }
        let now = clock()
        return penalty.withLock { $0.failed(from: address, now: now) }
    }

    /// A ban was made: every open connection it covers, on every service, is closed with its
    /// protocol's goodbye (never-ban and allow networks excepted, as at admission).
    public func closeConnections(coveredBy ban: BanInfo, in registry: ConnectionRegistry) {
        guard let network = IPNetwork(ban.network) else { return }
        let refusal = GateRefusal(rule: ban.rule, reason: ban.reason, until: ban.expires)
        registry.closeAll(refusal: refusal) { address, service in
            guard network.contains(address), let svc = GuardService(rawValue: service.rawValue) else { return false }
            return !state.withLock { $0.bypassesBans(address, service: svc) }
        }
    }

    // MARK: Timers

    /// Lifts bans whose time is up (exact to the second); called every second.
    public func expire() {
        let now = clock()
        let ended = state.withLock { $0.expire(now: now) }
        penalty.withLock { $0.expire(now: now) }
        for b in ended { unbanned(b, why: "expired") }
    }

    /// Saves hit counts that changed (refusals count hits; saving each one would be a write per refusal).
    public func flushHits() {
        let dirty = dirtyHits.withLock { d -> Set<IPNetwork> in let x = d; d = []; return x }
        guard !dirty.isEmpty else { return }
        let bans = state.withLock { g in dirty.compactMap { g.ban(for: $0) } }
        for b in bans { persist(b) }
    }

    // MARK: Commands

    public var bans: [BanInfo] { state.withLock { $0.bans }.map(Self.info) }

    public func ban(network text: String, duration: TimeInterval?, permanent: Bool, reason: String) -> Result<BanInfo, GateCommandError> {
        guard let n = IPNetwork(text) else { return .failure(.init("'\(text)' is not an IP address or CIDR network")) }
        let now = clock()
        do {
            let b = try state.withLock { g throws(GuardError) -> Ban in
                try g.ban(network: n, duration: duration, permanent: permanent, reason: reason, evidence: ["banned by the administrator"], now: now)
            }
            banned(b)
            return .success(Self.info(b))
        } catch {
            return .failure(.init("\(error)"))
        }
    }

    public func unban(network text: String) -> Result<[BanInfo], GateCommandError> {
        if let n = IPNetwork(text), let b = try? state.withLock({ g throws(GuardError) -> Ban in try g.unban(network: n) }) {
            unbanned(b, why: "manual")
            return .success([Self.info(b)])
        }
        // An address inside banned networks: lift all of them.
        if let a = IPAddress(text) {
            let lifted = state.withLock { $0.unban(covering: a) }
            for b in lifted { unbanned(b, why: "manual") }
            if !lifted.isEmpty { return .success(lifted.map(Self.info)) }
        }
        return .failure(.init("no ban for \(text)"))
    }

    public func extend(network text: String, by seconds: TimeInterval) -> Result<BanInfo, GateCommandError> {
        guard let n = IPNetwork(text) else { return .failure(.init("'\(text)' is not an IP address or CIDR network")) }
        let now = clock()
        do {
            let b = try state.withLock { g throws(GuardError) -> Ban in try g.extend(network: n, by: seconds, now: now) }
            banned(b)
            return .success(Self.info(b))
        } catch { return .failure(.init("\(error)")) }
    }

    public func makePermanent(network text: String) -> Result<BanInfo, GateCommandError> {
        guard let n = IPNetwork(text) else { return .failure(.init("'\(text)' is not an IP address or CIDR network")) }
        do {
            let b = try state.withLock { g throws(GuardError) -> Ban in try g.makePermanent(network: n) }
            banned(b)
            return .success(Self.info(b))
        } catch { return .failure(.init("\(error)")) }
    }

    /// Never ban `network` again (kept in the database) and lift the bans inside it.
    public func allow(network text: String) -> Result<[BanInfo], GateCommandError> {
        guard let n = IPNetwork(text) else { return .failure(.init("'\(text)' is not an IP address or CIDR network")) }
        let lifted = state.withLock { $0.addNeverBan(n) }
        for b in lifted { unbanned(b, why: "never-ban") }
        writer.async { [database] in try? database.addAllowedNetwork(n.description) }
        return .success(lifted.map(Self.info))
    }
}

public struct GateCommandError: Error, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}
