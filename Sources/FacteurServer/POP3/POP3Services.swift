import FacteurPOP3Core
import FacteurStore
import Foundation
import Synchronization

/// What every POP3 connection of a server shares: the maildrop provider, the maildrop locks, the
/// plaintext policy and the password-digest key. One per `ServerContext`.
public final class POP3Services: Sendable {
    public let maildrops: any POP3MaildropProvider
    public let locks = POP3MaildropLocks()
    public let plaintext: PlaintextPolicy
    /// The same key for every session, so the guard sees a password repeated across connections.
    public let digestKey: PasswordDigestKey
    public let limits: POP3Limits
    /// A bare user name ("alice") means this domain (the first configured one).
    public let defaultDomain: String
    private let decoy = Mutex<String?>(nil)
    public let verifiedLogins: VerifiedLogins

    public init(config: Config, maildrops: any POP3MaildropProvider, limits: POP3Limits = .standard,
                digestKey: PasswordDigestKey = LoginDigest.key, verifiedLogins: VerifiedLogins? = nil) {
        self.verifiedLogins = verifiedLogins ?? VerifiedLogins(ttl: config.loginCache)
        self.maildrops = maildrops
        self.plaintext = PlaintextPolicy(networks: config.pop3.plaintextNetworks)
        self.limits = limits
        self.digestKey = digestKey
        self.defaultDomain = config.domains.first ?? "localhost"
    }

    /// Problems with the configuration to log when the listeners start.
    public var configurationWarnings: [String] {
        plaintext.invalidEntries.map { "[pop3] plaintext_networks: '\($0)' is not an address or CIDR block; ignored" }
    }

    /// A hash of a random password, verified against when the user does not exist so that an
    /// unknown user takes as long as a wrong password (RFC 1939 §13: do not reveal which names
    /// exist). Made on first use, on the I/O pool.
    func decoyHash() -> String? {
        if let hash = decoy.withLock({ $0 }) { return hash }
        let made = try? PasswordHasher.hash(UUID().uuidString)
        decoy.withLock { if $0 == nil { $0 = made } }
        return decoy.withLock { $0 }
    }
}
