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
///
/// The guard is asked first: a banned address has no password verified, and one that has
/// failed waits its turn (`AuthPenalty`); a wrong password is answered only after the penalty.
final class IMAPUserAuthenticator: IMAPAuthenticator {
    let service: IMAPService
    /// The client's address (behind a PROXY header: the real client's), and its connection.
    let remoteAddress: String
    let connection: ConnectionID
    /// What the last failed attempt tried, for the guard (read by the handler after the
    /// session reports `.authenticationFailed`).
    private let lastFailure = Mutex<(user: String, digest: String)?>(nil)
    /// The ban that refused the last attempt before its password was verified.
    private let banRefusal = Mutex<GateRefusal?>(nil)

    init(service: IMAPService, remoteAddress: String, connection: ConnectionID) {
        self.service = service
        self.remoteAddress = remoteAddress
        self.connection = connection
    }

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

    /// The ban that refused the last attempt (no password was verified), once.
    func takeBanRefusal() -> GateRefusal? {
        banRefusal.withLock { r in let x = r; r = nil; return x }
    }

    /// Asks the guard before verifying: false when a ban covers the address.
    private func mayVerify() async -> Bool {
        let gate = service.context.gate
        var refusal: GateRefusal?
        switch gate.loginAttempt(remoteAddress: remoteAddress, service: .imap) {
        case .refused(let r):
            refusal = r
        case .proceed(let wait):
            guard wait > 0 else { return true }
            try? await Task.sleep(for: .seconds(wait))
            // Other connections' failures may have made a ban meanwhile.
            refusal = gate.banRefusal(remoteAddress: remoteAddress, service: .imap)
        }
        guard let refusal else { return true }
        banRefusal.withLock { $0 = refusal }
        return false
    }

    /// A wrong password. With a penalty, the guard counts it at once (a ban then closes every
    /// connection of the address, this one included; the handler's later report of the same
    /// digest counts nothing more) and the reply waits; without one, the handler reports it
    /// after the NO is written.
    private func failed(owner: String, digest: String) async {
        let gate = service.context.gate
        let delay = gate.loginFailedDelay(remoteAddress: remoteAddress, service: .imap)
        guard delay > 0 else { return }
        gate.authResult(success: false, remoteAddress: remoteAddress, service: .imap, connection: connection,
                        user: owner, passwordDigest: digest)
        try? await Task.sleep(for: .seconds(delay))
    }

    func authenticate(username: String, password: String) async -> (any IMAPMailStore)? {
        let owner = Self.owner(for: username, defaultDomain: service.context.config.domains.first)
        let digest = LoginDigest.digest(password)
        guard username.utf8.count <= IMAPServerLimits.maxUserNameBytes, !username.isEmpty else {
            lastFailure.withLock { $0 = (Self.printable(username), digest) }
            return nil
        }
        guard await mayVerify() else { return nil }
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
            await failed(owner: Self.printable(owner), digest: digest)
            lastFailure.withLock { $0 = (Self.printable(owner), digest) }
            return nil
        }
        return IMAPStoreAdapter(owner: owner, store: service.mailStore, pool: service.context.ioPool, hub: service.context.hub,
                                tables: service.messageTables, quotas: service.context.quotas)
    }
}
