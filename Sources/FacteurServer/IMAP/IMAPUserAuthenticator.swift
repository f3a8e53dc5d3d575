import FacteurCore
import FacteurIMAPCore
import FacteurMailStore
import FacteurStore
import Foundation
import NIOPosix
import Synchronization

/// LOGIN / AUTHENTICATE PLAIN against the user database, for one connection. Users log in with
/// their full address; a bare local part means the first configured domain. The yescrypt check
/// is slow and blocking, so it runs on the I/O pool. On a user's first login since the server
/// started, `MailStore.ensureUser` creates INBOX and the special-use folders (RFC 6154).
final class IMAPUserAuthenticator: IMAPAuthenticator {
    let service: IMAPService
    /// What the last failed attempt tried, for the guard (read by the handler after the
    /// session reports `.authenticationFailed`).
    private let lastFailure = Mutex<(user: String, digest: String)?>(nil)

    init(service: IMAPService) { self.service = service }

    /// `alice` → `alice@<first domain>`; lower-cased, as the directory stores addresses.
    static func owner(for username: String, defaultDomain: String?) -> String {
        let name = username.lowercased()
        if name.contains("@") { return name }
        return defaultDomain.map { name + "@" + $0.lowercased() } ?? name
    }

    /// A user name as it may appear in logs and events: control characters (a literal can
    /// carry CR LF) become "?", and it is cut to `maxUserNameBytes` characters.
    static func printable(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.prefix(IMAPServerLimits.maxUserNameBytes).map {
            $0.value < 0x20 || (0x7F...0x9F).contains($0.value) ? "?" : $0
        }))
    }

    func takeLastFailure() -> (user: String, digest: String)? {
        lastFailure.withLock { f in let x = f; f = nil; return x }
    }

    func authenticate(username: String, password: String) async -> (any IMAPMailStore)? {
        let owner = Self.owner(for: username, defaultDomain: service.context.config.domains.first)
        let digest = LoginDigest.digest(password)
        guard username.utf8.count <= IMAPServerLimits.maxUserNameBytes, !username.isEmpty else {
            lastFailure.withLock { $0 = (Self.printable(username), digest) }
            return nil
        }
        let service = self.service
        let verified: Bool
        do {
            verified = try await service.context.ioPool.runIfActive { () throws -> Bool in
                guard let stored = try service.context.database.passwordHash(owner) else {
                    // Unknown users cost as much time as known ones.
                    _ = PasswordHasher.verify(password, hash: service.decoyHash)
                    return false
                }
                guard service.context.verifiedLogins.verify(user: owner, password: password, storedHash: stored,
                                                            slow: { PasswordHasher.verify(password, hash: stored) }) else { return false }
                // Folders that cannot be made are the server's problem, not a failed login.
                do { try service.ensureUser(owner) } catch {
                    service.context.hub.publish(.log(level: .error, message: "imap: cannot prepare the mailboxes of \(owner): \(error)"))
                }
                return true
            }
        } catch {
            service.context.hub.publish(.log(level: .error, message: "imap login for \(owner): \(error)"))
            verified = false
        }
        guard verified else {
            lastFailure.withLock { $0 = (Self.printable(owner), digest) }
            return nil
        }
        return IMAPStoreAdapter(owner: owner, store: service.mailStore, pool: service.context.ioPool, hub: service.context.hub,
                                tables: service.messageTables)
    }
}
