import FacteurCore
import FacteurStore
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import FacteurMailStore

/// Everything a connection handler needs, shared by all connections. Immutable or lock-protected.
public final class ServerContext: Sendable {
    public let config: Config
    public let hub: EventHub
    public let registry: ConnectionRegistry
    public let delivery: MaildirDelivery
    public let database: FacteurDatabase
    /// The mailbox index (IMAP, POP3); kept in step with SMTP deliveries.
    public let mailStore: MailStore
    public let gate: any ConnectionGate
    public let clock: @Sendable () -> Date
    let ioPool: NIOThreadPool
    let tls: NIOSSLContext?
    /// POP3: maildrops over the mailbox index, maildrop locks, plaintext policy, digest key.
    public let pop3: POP3Services
    /// Recently verified passwords, shared by IMAP and POP3 logins.
    public let verifiedLogins: VerifiedLogins
    /// Free space of the data folder (disk full or not).
    public let storage: StorageWatch
    /// SPF/DKIM/DMARC checks at the end of DATA (`[mailauth]`); nil when off.
    public let mailAuth: MailAuthGate?
    /// Greylisting at the end of DATA (`[greylist]`); nil when off.
    public let greylist: GreylistGate?
    /// rspamd scoring at the end of DATA (`[spam] rspamd`); nil when not configured.
    public let spam: SpamGate?
    /// Users' quotas over the mailbox index (`[mail] quota`).
    public let quotas: QuotaBook
    private let directoryBox: Mutex<StaticDirectory>

    init(config: Config, hub: EventHub, database: FacteurDatabase, gate: any ConnectionGate, ioPool: NIOThreadPool,
         tls: NIOSSLContext?, clock: @escaping @Sendable () -> Date) throws {
        self.config = config; self.hub = hub; self.database = database; self.gate = gate
        self.ioPool = ioPool; self.tls = tls; self.clock = clock
        self.registry = ConnectionRegistry()
        self.storage = StorageWatch(path: config.dataDir, hub: hub)
        self.delivery = MaildirDelivery(mailRoot: config.mailRoot, hostname: config.hostname)
        self.directoryBox = Mutex(try database.directory(domains: config.domains))
        self.mailStore = MailStore(pool: database.pool, mailRoot: config.mailRoot, hostname: config.hostname, now: clock)
        self.verifiedLogins = VerifiedLogins(ttl: config.loginCache, clock: clock)
        self.pop3 = POP3Services(config: config, maildrops: IndexedPOP3Provider(store: mailStore), verifiedLogins: verifiedLogins)
        self.mailAuth = MailAuthGate.make(config: config, hub: hub, clock: clock)
        self.greylist = GreylistGate.make(config: config, database: database)
        self.spam = SpamGate.make(config: config, hub: hub)
        self.quotas = QuotaBook(settings: config.quota, store: mailStore)
    }

    /// Snapshot of users and aliases for new SMTP sessions.
    public var directory: StaticDirectory { directoryBox.withLock { $0 } }

    /// Re-reads users and aliases (after `facteur user add`, or periodically).
    public func reloadDirectory() throws {
        let d = try database.directory(domains: config.domains)
        directoryBox.withLock { $0 = d }
    }

    var smtpSettings: SMTPSessionSettings {
        SMTPSessionSettings(hostname: config.hostname, maxMessageSize: config.smtp.maxMessageSize,
                            maxRecipients: config.smtp.maxRecipients, maxErrors: config.smtp.maxErrors,
                            greetingTimeout: config.smtp.greetingTimeout, commandTimeout: config.smtp.commandTimeout,
                            dataBlockTimeout: config.smtp.dataTimeout, tlsAvailable: tls != nil)
    }
}
