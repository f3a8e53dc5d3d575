import CCrypt
import Foundation

/// Password hashing with yescrypt through the system's libxcrypt (`crypt_gensalt_rn` + `crypt_rn`):
/// slow, salted, maintained by the distribution, and the same format as /etc/shadow (`$y$…`).
public enum PasswordHasher {
    public enum Failure: Error, CustomStringConvertible {
        case saltGeneration, hashing
        public var description: String {
            switch self {
            case .saltGeneration: return "libcrypt could not generate a yescrypt salt"
            case .hashing: return "libcrypt could not hash the password"
            }
        }
    }

    /// Cost parameter for yescrypt (libxcrypt's default is 5).
    public static let cost: UInt = 5

    public static func hash(_ password: String, cost: UInt = cost) throws -> String {
        var salt = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        guard crypt_gensalt_rn("$y$", cost, nil, 0, &salt, Int32(salt.count)) != nil else { throw Failure.saltGeneration }
        guard let h = run(password, setting: salt), h.hasPrefix("$y$") else { throw Failure.hashing }
        return h
    }

    /// Constant-time comparison of a fresh hash with the stored one.
    public static func verify(_ password: String, hash stored: String) -> Bool {
        guard stored.hasPrefix("$"), let h = run(password, setting: Array(stored.utf8CString)) else { return false }
        let a = Array(h.utf8), b = Array(stored.utf8)
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    private static func run(_ password: String, setting: [CChar]) -> String? {
        let data = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<crypt_data>.size, alignment: 16)
        defer {
            memset(data, 0, MemoryLayout<crypt_data>.size)
            data.deallocate()
        }
        memset(data, 0, MemoryLayout<crypt_data>.size)
        let out = password.withCString { pw in
            setting.withUnsafeBufferPointer { s in
                crypt_rn(pw, s.baseAddress, data, Int32(MemoryLayout<crypt_data>.size))
            }
        }
        guard let out else { return nil }
        let s = String(cString: out)
        // libxcrypt returns a string starting with '*' on failure.
        return s.hasPrefix("*") ? nil : s
    }
}
