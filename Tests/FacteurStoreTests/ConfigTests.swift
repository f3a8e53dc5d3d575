import Foundation
import Testing
@testable import FacteurStore
import FacteurCore

struct ConfigTests {
    @Test func builtInDefaultIsLoopbackAndUnprivileged() {
        let c = Config.builtInDefault(cwd: "/srv")
        #expect(c.smtpListen.listen.map(\.description) == ["127.0.0.1:2525"])
        #expect(c.imap.listen.map(\.description) == ["127.0.0.1:1143"])
        #expect(c.pop3.listen.map(\.description) == ["127.0.0.1:1110"])
        #expect(c.domains == ["example.test"])
        #expect(c.dataDir == "/srv/facteur-data")
        #expect(c.guardSettings.banDuration == 86400)
    }

    @Test func fullFile() throws {
        let text = """
        hostname = "mail.example.com"
        domains  = ["Example.com", "example.org"]
        data_dir = "data"

        [smtp]
        listen = ["0.0.0.0:25", "[::]:25"]
        max_message_size = 1048576
        command_timeout = "2m"

        [imap]
        listen = ["0.0.0.0:143", "0.0.0.0:20143"]
        listen_tls = ["0.0.0.0:993"]
        plaintext_networks = ["192.168.1.0/24"]

        [tls]
        cert = "/etc/ssl/fullchain.pem"
        key  = "/etc/ssl/privkey.pem"

        [guard]
        ban_duration = "12h"
        escalation = ["24h", "7d", "30d"]

        [router]
        public_address = "203.0.113.7"
        public_ports = { smtp = 25, imap = 20143 }
        """
        let c = try Config.parse(text, file: "/etc/facteur/facteur.toml")
        #expect(c.hostname == "mail.example.com")
        #expect(c.domains == ["example.com", "example.org"])
        #expect(c.dataDir == "/etc/facteur/data")
        #expect(c.smtpListen.listen.map(\.description) == ["0.0.0.0:25", "[::]:25"])
        #expect(c.smtp.maxMessageSize == 1_048_576)
        #expect(c.smtp.commandTimeout == 120)
        #expect(c.imap.listen.count == 2)
        #expect(c.imap.listenTLS.map(\.port) == [993])
        #expect(c.tls.cert == "/etc/ssl/fullchain.pem")
        #expect(c.guardSettings.banDuration == 43200)
        #expect(c.guardSettings.escalation == [86400, 604800, 2_592_000])
        #expect(c.router.publicPorts == ["smtp": 25, "imap": 20143])
    }

    static let errorCases: [(String, String, Int?)] = [
        ("hostname = \"x\"\ndomains = [\"a.test\"]\nbogus = 1\n", "unknown key 'bogus' in top level", 3),
        ("domains = [\"a.test\"]\n[smtp]\nlisten = [\"0.0.0.0:25\"]\nmax_size = 5\n", "unknown key 'max_size' in [smtp]", 4),
        ("domains = [\"a.test\"]\n[smtp]\nlisten = [\"nonsense\"]\n", "'listen' in [smtp] must be", 3),
        ("domains = [\"a.test\"]\n[smtp]\nmax_message_size = \"big\"\n", "'max_message_size' in [smtp] must be a whole number", 3),
        ("domains = []\n", "'domains' must name at least one domain", 1),
        ("domains = [\"a.test\"]\n[guard]\nban_duration = \"forever\"\n", "must be a duration", 3),
        ("domains = [\"a.test\"\n", "TOML syntax", nil),
        ("domains = [\"a.test\"]\n[tls]\ncert = \"/x.pem\"\n", "needs both 'cert' and 'key'", 3),
        ("domains = [\"a.test\"]\n[nosuch]\nx = 1\n", "unknown key 'nosuch'", 2),
    ]

    @Test(arguments: errorCases)
    func errorsNameKeyAndLine(_ text: String, _ message: String, _ line: Int?) {
        do {
            _ = try Config.parse(text, file: "f.toml")
            Issue.record("accepted: \(text)")
        } catch let e as ConfigError {
            #expect(e.message.contains(message), "\(e)")
            if let line { #expect(e.line == line, "\(e)") }
            #expect(e.description.hasPrefix("f.toml"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func templateParses() throws {
        let c = try Config.parse(ConfigTemplate.render(domain: "example.com", hostname: "mail.example.com", dataDir: "data"), file: "/x/facteur.toml")
        #expect(c.smtpListen.listen.map(\.port) == [25, 25])
        #expect(c.domains == ["example.com"])
    }

    @Test(arguments: [("90s", 90.0), ("5m", 300), ("24h", 86400), ("7d", 604800), ("2w", 1_209_600), ("250ms", 0.25), ("42", 42)])
    func durations(_ text: String, _ seconds: Double) {
        #expect(DurationText.parse(text) == seconds)
    }

    @Test func durationFormat() {
        #expect(DurationText.format(86399) == "23h 59m")
        #expect(DurationText.format(90061) == "1d 1h")
        #expect(DurationText.format(61) == "1m 01s")
        #expect(DurationText.format(5) == "5s")
    }

    @Test func loginCacheDefaultsToAnHourAndCanBeTurnedOff() throws {
        #expect(Config.builtInDefault().loginCache == 3600)
        let base = "domains = [\"example.test\"]\n"
        #expect(try Config.parse(base + "[auth]\nlogin_cache = \"10m\"\n", file: "/x/f.toml").loginCache == 600)
        #expect(try Config.parse(base + "[auth]\nlogin_cache = \"0\"\n", file: "/x/f.toml").loginCache == 0)
        #expect(throws: ConfigError.self) { try Config.parse(base + "[auth]\nlogin_cashe = \"1h\"\n", file: "/x/f.toml") }
    }
}

/// `[mail]` quotas and the guard in front of toml++ (a header toml++ 3 aborts on).
struct QuotaConfigTests {
    @Test func noQuotaByDefault() throws {
        let c = try Config.parse("domains = [\"a.test\"]\n", file: "f.toml")
        #expect(c.quota.isUnlimited)
        #expect(c.quota.limit(for: "x@a.test") == .unlimited)
    }

    @Test func defaultAndPerUserQuotas() throws {
        let text = """
        domains = ["a.test"]
        [mail]
        quota = "2 GB"
        quota_messages = 1000
        [mail.user_quota]
        "Boss@a.test" = "none"
        "alice@a.test" = { storage = "10 MiB", messages = 50 }
        "bob@a.test" = "512k"
        """
        let c = try Config.parse(text, file: "f.toml")
        #expect(c.quota.limit(for: "carol@a.test") == QuotaLimit(bytes: 2 << 30, messages: 1000))
        #expect(c.quota.limit(for: "boss@a.test") == .unlimited)
        #expect(c.quota.limit(for: "alice@a.test") == QuotaLimit(bytes: 10 << 20, messages: 50))
        #expect(c.quota.limit(for: "bob@a.test") == QuotaLimit(bytes: 512 << 10))
    }

    @Test(arguments: [("2 GB", Int64(2) << 30), ("1.5GiB", Int64(3) << 29), ("800 KB", Int64(800) << 10), ("100", Int64(100)),
                      ("3T", Int64(3) << 40), ("10 mb", Int64(10) << 20)])
    func sizes(_ text: String, _ bytes: Int64) {
        #expect(SizeText.parse(text) == .some(bytes))
    }

    @Test(arguments: ["", "GB", "-1 GB", "0", "2 XB", "nan", "1e30 TB"])
    func badSizes(_ text: String) {
        #expect(SizeText.parse(text) == nil)
    }

    @Test func aBadQuotaNamesItsKeyAndLine() {
        #expect(throws: ConfigError(file: "f.toml", line: 3, message: "'quota' in [mail] must be a size like \"2 GB\", \"500 MB\" or \"none\"")) {
            try Config.parse("domains = [\"a.test\"]\n[mail]\nquota = \"lots\"\n", file: "f.toml")
        }
    }

    /// Found by the config fuzz target: these headers abort toml++ 3 (an assertion in parse_key).
    @Test(arguments: ["[=]", "[.mail]", "[é]", "[[!]]", "[ #]", "  [ €]", "[", "[\r"])
    func headersTomlPlusPlusCannotTakeAreSyntaxErrors(_ header: String) {
        #expect(throws: ConfigError.self) { try Config.parse("domains = [\"a.test\"]\n\(header)\nx = 1\n", file: "f.toml") }
        #expect(TOMLHeaderCheck.badHeaderLine("domains = [\"a.test\"]\n\(header)\n") == 2)
    }

    @Test func aByteOrderMarkDoesNotHideABadHeader() {
        #expect(TOMLHeaderCheck.badHeaderLine("\u{FEFF}[=]\n") == 1)
        #expect(throws: ConfigError.self) { try Config.parse("\u{FEFF} [=]\ndomains = [\"a.test\"]\n", file: "f.toml") }
    }

    /// Found by the config fuzz target: an array element starting with "}" aborts toml++ 3 (parse_value).
    @Test(arguments: ["a = [ }", "a = [1, }", "a = [ # c\n }", "a = {b=[}", "a = [[1], }"])
    func arrayElementsStartingWithABraceAreSyntaxErrors(_ value: String) {
        #expect(throws: ConfigError.self) { try Config.parse("domains = [\"a.test\"]\n\(value)\n", file: "f.toml") }
        #expect(TOMLHeaderCheck.badHeaderLine("\(value)\n") != nil)
    }

    @Test func validArraysAndTablesPass() {
        for text in ["a = [ ]\n", "a = [1,]\n", "a = [{ b = 1 }, { c = [2, 3] }]\n", "a = { b = [1, 2], c = {} }\n", "a = [\n # x\n 1,\n]\n"] {
            #expect(TOMLHeaderCheck.badHeaderLine(text) == nil, "\(text)")
        }
    }

    @Test func linesInsideValuesAreNotHeaders() {
        let text = "a = [\n  [{ b = 1 }],\n  [ \"x\" ],\n]\ns = \"\"\"\n[=]\n\"\"\"\nt = '''\n[!]'''\n# [=]\n[ok]\n"
        #expect(TOMLHeaderCheck.badHeaderLine(text) == nil)
    }
}
