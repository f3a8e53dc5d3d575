import FacteurPOP3Core

/// A short, non-reversible fingerprint of a tried password, so that the guard counts distinct
/// wrong passwords (a phone retrying one stale password is one offence, a dictionary attack
/// is many) without keeping any password: keyed SipHash-2-4 under a key drawn once per process
/// and shared by IMAP and POP3, so the same wrong password tried over both counts once. The
/// digests mean nothing after a restart and cannot be looked up in a precomputed table.
public enum LoginDigest {
    public static let key = PasswordDigestKey.random()

    public static func digest(_ password: some Sequence<UInt8>) -> String {
        PasswordDigest.digest(Array(password), key: key)
    }

    public static func digest(_ password: String) -> String { digest(password.utf8) }
}
