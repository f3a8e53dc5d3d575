import FacteurCore
import FacteurIMAPCore
import FacteurMailStore
import FacteurStore
import Foundation
import NIOCore
import NIOSSL
import Synchronization

/// What every IMAP connection of a server shares: the server context, the mail store, the
/// plaintext-login policy, and the users whose folders were prepared since start-up.
final class IMAPService: Sendable {
    let context: ServerContext
    let plaintext: PlaintextPolicy
    /// The selected mailboxes' message tables, shared by all sessions.
    let messageTables = IMAPMessageTableCache()
    private let ensured = Mutex<Set<String>>([])
    private let decoy = Mutex<String?>(nil)

    init(context: ServerContext) {
        self.context = context
        plaintext = PlaintextPolicy(networks: context.config.imap.plaintextNetworks)
        for bad in plaintext.invalidEntries {
            context.hub.publish(.log(level: .warning, message: "[imap] plaintext_networks: '\(bad)' is not an address or CIDR network (ignored)"))
        }
    }

    var mailStore: MailStore { context.mailStore }

    /// The session settings for a new connection.
    func sessionConfiguration(remoteAddress: String, tlsActive: Bool) -> IMAPSessionConfiguration {
        IMAPSessionConfiguration(serverName: context.config.hostname, tlsAvailable: context.tls != nil, tlsActive: tlsActive,
                                 allowPlaintextAuthentication: plaintext.allowsPlaintext(from: remoteAddress),
                                 serverID: [IDParameter(key: "name", value: "Facteur"), IDParameter(key: "version", value: FacteurCoreVersion.string)])
    }

    /// INBOX and the special-use folders, once per user and process (blocking).
    func ensureUser(_ owner: String) throws {
        guard !ensured.withLock({ $0.contains(owner) }) else { return }
        try mailStore.ensureUser(owner)
        ensured.withLock { _ = $0.insert(owner) }
    }

    /// A yescrypt hash to verify against for unknown users, so that they cost the same time
    /// as known ones (made once, blocking).
    var decoyHash: String {
        if let h = decoy.withLock({ $0 }) { return h }
        let h = (try? PasswordHasher.hash(UUID().uuidString)) ?? "$y$"
        decoy.withLock { $0 = h }
        return h
    }

    /// Adds the IMAP handler (after TLS for implicit-TLS listeners) to a new connection.
    func initialize(_ channel: any Channel, info: ConnectionInfo, admitted: Bool = false) throws {
        if info.tls {
            guard let tls = context.tls else { throw ChannelError.inappropriateOperationForState }
            try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
        }
        try channel.pipeline.syncOperations.addHandler(IMAPHandler(service: self, info: info, admitted: admitted))
    }
}
