import FacteurCore
import FacteurPOP3Core
import FacteurStore

/// Checking a POP3 login: the user name, the password, the maildrop lock, the maildrop.
enum POP3Login {
    enum Outcome: Sendable {
        /// Unknown user or wrong password (indistinguishable to the client).
        case rejected
        /// The directory could not be read: a temporary failure, not a failed login.
        case unavailable(String)
        /// Right credentials, but another session holds the maildrop.
        case inUse(owner: String)
        /// Right credentials, the lock is taken; nil entries = the maildrop could not be opened
        /// (the lock was given back).
        case opened(owner: String, entries: [POP3MaildropEntry]?, error: String?)
    }

    /// Users log in with their address; a bare local part means the default domain. Lower-cased,
    /// as the directory stores addresses.
    static func owner(user: String, defaultDomain: String) -> String {
        let name = user.lowercased()
        return name.contains("@") ? name : name + "@" + defaultDomain.lowercased()
    }

    /// Blocking (yescrypt and file-system work): run on the I/O pool, never on an event loop.
    static func attempt(user: String, password: [UInt8], connection: ConnectionID, services: POP3Services,
                        database: FacteurDatabase) -> Outcome {
        let owner = owner(user: user, defaultDomain: services.defaultDomain)
        let stored: String?
        do { stored = try database.passwordHash(owner) } catch { return .unavailable("\(error)") }
        // A password that is not UTF-8 cannot match a stored hash (they are set from UTF-8 text).
        let text = String(validating: password, as: UTF8.self)
        guard let stored else {
            if let decoy = services.decoyHash() { _ = PasswordHasher.verify(text ?? "", hash: decoy) }
            return .rejected
        }
        guard let text, services.verifiedLogins.verify(user: owner, password: password, storedHash: stored,
                                                        slow: { PasswordHasher.verify(text, hash: stored) }) else { return .rejected }
        guard services.locks.acquire(owner, by: connection) else { return .inUse(owner: owner) }
        do {
            return .opened(owner: owner, entries: try services.maildrops.open(owner: owner), error: nil)
        } catch {
            services.locks.release(owner, by: connection)
            return .opened(owner: owner, entries: nil, error: "\(error)")
        }
    }
}
