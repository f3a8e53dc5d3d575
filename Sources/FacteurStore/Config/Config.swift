import Foundation
import TOMLKit
import FacteurCore

/// Facteur's whole configuration. Every key has a default; `Config.builtInDefault` runs out of
/// the box on loopback and unprivileged ports for a newcomer.
public struct Config: Sendable {
    public struct Service: Sendable {
        public var listen: [ListenAddress]
        /// Implicit-TLS listeners (IMAPS 993, POP3S 995).
        public var listenTLS: [ListenAddress] = []
        /// Networks where LOGIN/USER over a connection without TLS is allowed (e.g. the office LAN).
        public var plaintextNetworks: [String] = []
        public var proxyProtocol = false
        public var trustedProxies: [String] = []
        /// Networks refused / always let in for this service only (the [guard] lists apply to all).
        public var deny: [String] = []
        public var allow: [String] = []
        public init(listen: [ListenAddress]) { self.listen = listen }
    }

    public struct SMTP: Sendable {
        public var maxMessageSize = SMTPLimits.messageSize
        public var maxRecipients = SMTPLimits.recipientsPerMessage
        public var maxErrors = SMTPLimits.errorsPerSession
        public var greetingTimeout = SMTPLimits.greetingTimeout
        public var commandTimeout = SMTPLimits.commandTimeout
        public var dataTimeout = SMTPLimits.dataBlockTimeout
        public var sessionTimeout = SMTPLimits.sessionBeforeData
        public init() {}
    }

    public struct TLS: Sendable {
        public var cert: String?
        public var key: String?
        public init() {}
    }

    public struct Guard: Sendable {
        public var banDuration: TimeInterval = 86400
        public var escalation: [TimeInterval] = []
        public var neverBan: [String] = ["127.0.0.1/32", "::1/128"]
        public var deny: [String] = []
        public var allow: [String] = []
        public var denyFiles: [String] = []
        public var allowFiles: [String] = []
        public var denyCountries: [String] = []
        public var allowCountries: [String] = []
        public var geoipDB: String?
        public var dnsbl: [String] = []
        public var dnsblBan = false
        public var relayAttempts = 1
        public var unknownRecipientsPerSession = 5
        public var unknownRecipientsPerHour = 10
        public var failedLogins = 5
        public var failedLoginWindow: TimeInterval = 900
        public var badCommands = 10
        public var connectionsPerMinute = 60
        public var maxConnectionsPerIP = 20
        public var maxConnections = 1000
        /// Reply delay after a failed password: doubles per failure from the address, up to the maximum.
        public var authFailureDelay: TimeInterval = 2
        public var authFailureDelayMax: TimeInterval = 15
        public init() {}
    }

    public struct Console: Sendable {
        public var theme = "default"
        public var showBodies = true
        public init() {}
    }

    public struct Router: Sendable {
        public var publicAddress: String?
        /// service ("smtp", "imap", "imaps", "pop3", "pop3s") → public port on the router.
        public var publicPorts: [String: Int] = [:]
        public var discover = false
        /// This machine's LAN addresses, when detection picks the wrong interface (or for tests).
        public var lanAddresses: [String] = []
        /// Where to ask for the public address over NAT-PMP (default: the default gateway, port 5351).
        public var natpmpGateway: String?
        public init() {}
    }

    public struct Collect: Sendable {
        public var name: String
        public var proto: String          // "pop3" | "imap"
        public var host: String
        public var port: Int
        public var tls: String            // "implicit" | "starttls" | "none"
        public var user: String
        public var passwordFile: String
        public var recipient: String
        public var interval: TimeInterval
        public var keepDays: Int
        /// `tls_verify = false` accepts any certificate (self-signed providers). Default: verify
        /// against the system trust store and the host name.
        public var tlsVerify = true
    }

    /// The file this configuration came from, or nil for the built-in default.
    public var source: String?
    public var hostname: String
    public var domains: [String]
    /// Absolute path.
    public var dataDir: String
    /// Unprivileged user to switch to after binding, when started as root.
    public var user: String?
    public var logLevel: String = "info"
    public var smtpListen: Service
    public var smtp = SMTP()
    public var imap: Service
    public var pop3: Service
    public var tls = TLS()
    public var guardSettings = Guard()
    public var dnsNameserver: String?
    public var mailAuth = MailAuthSettings()
    public var greylist = GreylistSettings()
    public var spam = SpamSettings()
    /// `[mail] quota`, `quota_messages`, `[mail.user_quota]`: no limit by default.
    public var quota = QuotaSettings()
    public var console = Console()
    public var router = Router()
    public var controlSocket: String?
    public var collect: [Collect] = []
    /// `[auth] login_cache`: how long a verified password is remembered (as a keyed digest, in
    /// memory) so that repeated logins skip the slow hash. 0 = verify every login.
    public var loginCache: TimeInterval = 3600

    /// Path of the admin control socket: `[control] socket`, else `<data_dir>/control.sock`.
    public var controlSocketPath: String { controlSocket ?? dataDir + "/control.sock" }
    public var databasePath: String { dataDir + "/facteur.sqlite" }
    public var mailRoot: String { dataDir + "/mail" }

    /// Loopback only, unprivileged ports, domain example.test, data in ./facteur-data.
    public static func builtInDefault(cwd: String = FileManager.default.currentDirectoryPath) -> Config {
        Config(source: nil, hostname: "mail.example.test", domains: ["example.test"],
               dataDir: cwd + "/facteur-data",
               smtpListen: Service(listen: [ListenAddress(host: "127.0.0.1", port: 2525)]),
               imap: Service(listen: [ListenAddress(host: "127.0.0.1", port: 1143)]),
               pop3: Service(listen: [ListenAddress(host: "127.0.0.1", port: 1110)]))
    }

    /// Where an installed server's configuration lives (deploy/facteur.service).
    public static let systemPath = "/etc/facteur/facteur.toml"

    /// `--config PATH`, else `$FACTEUR_CONFIG`, else `./facteur.toml`, else the installed
    /// `/etc/facteur/facteur.toml` (so that `sudo facteur console` finds the systemd server's);
    /// nil → built-in default.
    public static func resolvePath(_ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
                                   cwd: String = FileManager.default.currentDirectoryPath,
                                   systemPath: String = Config.systemPath) -> (path: String, explicit: Bool) {
        if let option { return (option, true) }
        if let env = environment["FACTEUR_CONFIG"], !env.isEmpty { return (env, true) }
        let local = cwd + "/facteur.toml"
        if !FileManager.default.fileExists(atPath: local), FileManager.default.fileExists(atPath: systemPath) { return (systemPath, false) }
        return (local, false)
    }

    /// Loads the file at `path`; if it does not exist and was not named explicitly, the built-in default.
    public static func load(option: String?) throws -> Config {
        let (path, explicit) = resolvePath(option)
        if !FileManager.default.fileExists(atPath: path) {
            if explicit { throw ConfigError(file: path, line: nil, message: "no such configuration file") }
            return builtInDefault()
        }
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) }
        catch { throw ConfigError(file: path, line: nil, message: "cannot read: \(error.localizedDescription)") }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws -> Config {
        if let line = TOMLHeaderCheck.badHeaderLine(text) {
            throw ConfigError(file: file, line: line, message: "TOML syntax: a table header must start with a name, like [mail], and an array element cannot start with '}'")
        }
        let table: TOMLTable
        do { table = try TOMLTable(string: text) }
        catch let e as TOMLParseError {
            throw ConfigError(file: file, line: e.source.begin.line, message: "TOML syntax: \(e.description)")
        }
        let absFile = file.hasPrefix("/") ? file : FileManager.default.currentDirectoryPath + "/" + file
        let folder = (absFile as NSString).deletingLastPathComponent
        let r = TOMLReader(file: file, text: text)
        let top = r.section(table, path: [])
        var c = builtInDefault(cwd: folder)
        c.source = absFile

        c.hostname = top.string("hostname") ?? c.hostname
        c.domains = (top.strings("domains") ?? c.domains).map { $0.lowercased() }
        if let d = top.string("data_dir") { c.dataDir = d.hasPrefix("/") ? d : folder + "/" + d }
        c.user = top.string("user")
        c.logLevel = top.string("log_level") ?? c.logLevel
        if c.domains.isEmpty { r.fail("'domains' must name at least one domain", key: "domains", path: []) }
        if !["debug", "info", "notice", "warning", "error"].contains(c.logLevel) {
            r.fail("'log_level' must be one of debug, info, notice, warning, error", key: "log_level", path: [])
        }

        func service(_ s: TOMLReader.Section?, _ into: inout Service, tls: Bool) {
            guard let s else { return }
            into.listen = s.listen("listen") ?? into.listen
            if tls { into.listenTLS = s.listen("listen_tls") ?? into.listenTLS }
            into.plaintextNetworks = s.strings("plaintext_networks") ?? into.plaintextNetworks
            into.proxyProtocol = s.bool("proxy_protocol") ?? into.proxyProtocol
            into.trustedProxies = s.strings("trusted_proxies") ?? into.trustedProxies
            into.deny = s.strings("deny") ?? into.deny
            into.allow = s.strings("allow") ?? into.allow
        }

        if let s = top.subsection("smtp") {
            service(s, &c.smtpListen, tls: false)
            c.smtp.maxMessageSize = s.int("max_message_size", min: 1024) ?? c.smtp.maxMessageSize
            c.smtp.maxRecipients = s.int("max_recipients", min: 1) ?? c.smtp.maxRecipients
            c.smtp.maxErrors = s.int("max_errors", min: 1) ?? c.smtp.maxErrors
            c.smtp.greetingTimeout = s.duration("greeting_timeout") ?? c.smtp.greetingTimeout
            c.smtp.commandTimeout = s.duration("command_timeout") ?? c.smtp.commandTimeout
            c.smtp.dataTimeout = s.duration("data_timeout") ?? c.smtp.dataTimeout
            c.smtp.sessionTimeout = s.duration("session_timeout") ?? c.smtp.sessionTimeout
            s.finish()
        }
        if let s = top.subsection("imap") { service(s, &c.imap, tls: true); s.finish() }
        if let s = top.subsection("pop3") { service(s, &c.pop3, tls: true); s.finish() }
        if let s = top.subsection("tls") {
            c.tls.cert = s.string("cert").map { $0.hasPrefix("/") ? $0 : folder + "/" + $0 }
            c.tls.key = s.string("key").map { $0.hasPrefix("/") ? $0 : folder + "/" + $0 }
            if (c.tls.cert == nil) != (c.tls.key == nil) {
                r.fail("[tls] needs both 'cert' and 'key', or neither (a self-signed certificate is then made)", key: c.tls.cert == nil ? "key" : "cert", path: ["tls"])
            }
            s.finish()
        }
        if let s = top.subsection("guard") {
            var g = c.guardSettings
            g.banDuration = s.duration("ban_duration") ?? g.banDuration
            g.escalation = s.durations("escalation") ?? g.escalation
            g.neverBan = s.strings("never_ban") ?? g.neverBan
            g.deny = s.strings("deny") ?? g.deny
            g.allow = s.strings("allow") ?? g.allow
            g.denyFiles = s.strings("deny_files") ?? g.denyFiles
            g.allowFiles = s.strings("allow_files") ?? g.allowFiles
            g.denyCountries = (s.strings("deny_countries") ?? g.denyCountries).map { $0.uppercased() }
            g.allowCountries = (s.strings("allow_countries") ?? g.allowCountries).map { $0.uppercased() }
            g.geoipDB = s.string("geoip_db").map { $0.hasPrefix("/") ? $0 : folder + "/" + $0 }
            g.dnsbl = s.strings("dnsbl") ?? g.dnsbl
            g.dnsblBan = s.bool("dnsbl_ban") ?? g.dnsblBan
            g.relayAttempts = s.int("relay_attempts", min: 0) ?? g.relayAttempts
            g.unknownRecipientsPerSession = s.int("unknown_recipients_per_session", min: 0) ?? g.unknownRecipientsPerSession
            g.unknownRecipientsPerHour = s.int("unknown_recipients_per_hour", min: 0) ?? g.unknownRecipientsPerHour
            g.failedLogins = s.int("failed_logins", min: 0) ?? g.failedLogins
            g.failedLoginWindow = s.duration("failed_login_window") ?? g.failedLoginWindow
            g.badCommands = s.int("bad_commands", min: 0) ?? g.badCommands
            g.connectionsPerMinute = s.int("connections_per_minute", min: 0) ?? g.connectionsPerMinute
            g.maxConnectionsPerIP = s.int("max_connections_per_ip", min: 0) ?? g.maxConnectionsPerIP
            g.maxConnections = s.int("max_connections", min: 0) ?? g.maxConnections
            g.authFailureDelay = s.duration("auth_failure_delay") ?? g.authFailureDelay
            g.authFailureDelayMax = s.duration("auth_failure_delay_max") ?? g.authFailureDelayMax
            c.guardSettings = g
            s.finish()
        }
        if let s = top.subsection("auth") {
            c.loginCache = s.duration("login_cache") ?? c.loginCache
            s.finish()
        }
        if let s = top.subsection("dns") { c.dnsNameserver = s.string("nameserver"); s.finish() }
        if let s = top.subsection("mailauth") { MailAuthSettings.read(s, into: &c.mailAuth, folder: folder); s.finish() }
        if let s = top.subsection("greylist") { GreylistSettings.read(s, into: &c.greylist); s.finish() }
        if let s = top.subsection("spam") { SpamSettings.read(s, into: &c.spam); s.finish() }
        if let s = top.subsection("mail") { QuotaSettings.read(s, into: &c.quota); s.finish() }
        if let s = top.subsection("console") {
            c.console.theme = s.string("theme") ?? c.console.theme
            c.console.showBodies = s.bool("show_bodies") ?? c.console.showBodies
            s.finish()
        }
        if let s = top.subsection("router") {
            c.router.publicAddress = s.string("public_address")
            c.router.discover = s.bool("discover") ?? false
            c.router.lanAddresses = s.strings("lan_addresses") ?? []
            c.router.natpmpGateway = s.string("natpmp_gateway")
            if let p = s.subsection("public_ports") {
                for key in p.table.keys {
                    if let port = p.int(key, min: 1), port <= 65535 { c.router.publicPorts[key] = port }
                }
                p.finish()
            }
            s.finish()
        }
        if let s = top.subsection("control") {
            c.controlSocket = s.string("socket").map { $0.hasPrefix("/") ? $0 : folder + "/" + $0 }
            s.finish()
        }
        if let list = top.tables("collect") {
            for (i, s) in list.enumerated() {
                let name = s.string("name") ?? "collect-\(i + 1)"
                let proto = (s.string("protocol") ?? "pop3").lowercased()
                let tlsMode = (s.string("tls") ?? "implicit").lowercased()
                guard ["pop3", "imap"].contains(proto) else { r.fail("[[collect]] protocol must be \"pop3\" or \"imap\"", key: "protocol", path: ["collect"]); continue }
                guard ["implicit", "starttls", "none"].contains(tlsMode) else { r.fail("[[collect]] tls must be \"implicit\", \"starttls\" or \"none\"", key: "tls", path: ["collect"]); continue }
                guard let host = s.string("host"), let user = s.string("user"), let pw = s.string("password_file"),
                      let rcpt = s.string("recipient") else {
                    r.fail("[[collect]] '\(name)' needs host, user, password_file and recipient", path: ["collect"]); continue
                }
                let defaultPort = proto == "pop3" ? (tlsMode == "implicit" ? 995 : 110) : (tlsMode == "implicit" ? 993 : 143)
                c.collect.append(Collect(name: name, proto: proto, host: host, port: s.int("port", min: 1) ?? defaultPort,
                                         tls: tlsMode, user: user, passwordFile: pw.hasPrefix("/") ? pw : folder + "/" + pw,
                                         recipient: rcpt.lowercased(), interval: s.duration("interval") ?? 300,
                                         keepDays: s.int("keep_days", min: 0) ?? 0,
                                         tlsVerify: s.bool("tls_verify") ?? true))
                s.finish()
            }
        }
        top.finish()
        if let first = r.errors.first { throw first }
        return c
    }
}

