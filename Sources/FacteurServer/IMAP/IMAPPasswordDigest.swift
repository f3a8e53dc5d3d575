import Crypto
import Foundation

/// A short, non-reversible fingerprint of a tried password, so that the guard counts distinct
/// wrong passwords (a phone retrying one stale password is one offence, a dictionary attack
/// is many) without keeping any password. HMAC-SHA-256 under a key drawn once per process:
/// the digests cannot be looked up in a precomputed table and mean nothing after a restart.
enum IMAPPasswordDigest {
    /// 256 random bits from the system's CSPRNG (`SystemRandomNumberGenerator`).
    private static let keyBytes: [UInt8] = {
        var g = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &g) }
    }()

    /// 16 lowercase hex digits.
    static func digest(_ password: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(password.utf8), using: SymmetricKey(data: keyBytes))
        return mac.prefix(8).map { String(format: "%02x", $0) }.joined()
    }
}
