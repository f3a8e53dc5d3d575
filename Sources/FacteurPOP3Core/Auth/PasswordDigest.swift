/// A short, non-reversible fingerprint of a password so the guard can tell a repeated failing
/// password from a new one (one password tried on many accounts, or many on one) without
/// keeping any password.
///
/// SipHash-2-4 (Aumasson & Bernstein, 2012) keyed with a secret the process draws at start-up:
/// the digest is a keyed PRF, so it cannot be inverted or looked up in a precomputed table
/// without the key. It is NOT a password hash (it is fast): the digests live only in memory and
/// in the guard's evidence, never with the key. The same key must be used by every session of a
/// process so repeats across connections match.
public struct PasswordDigestKey: Sendable, Equatable, Hashable {
    public var k0: UInt64
    public var k1: UInt64
    public init(k0: UInt64, k1: UInt64) { self.k0 = k0; self.k1 = k1 }

    /// A fresh random key; the lead draws one at start-up.
    public static func random() -> PasswordDigestKey {
        var generator = SystemRandomNumberGenerator()
        return PasswordDigestKey(k0: generator.next(), k1: generator.next())
    }
}

public enum PasswordDigest {
    /// 16 lowercase hex digits of SipHash-2-4(key, password).
    public static func digest(_ password: [UInt8], key: PasswordDigestKey) -> String {
        let value = sipHash24(password, key: key)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// SipHash-2-4, 64-bit output, little-endian message words.
    public static func sipHash24(_ message: [UInt8], key: PasswordDigestKey) -> UInt64 {
        var v0: UInt64 = 0x736f6d6570736575 ^ key.k0
        var v1: UInt64 = 0x646f72616e646f6d ^ key.k1
        var v2: UInt64 = 0x6c7967656e657261 ^ key.k0
        var v3: UInt64 = 0x7465646279746573 ^ key.k1

        func round() {
            v0 &+= v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
            v2 &+= v3; v3 = rotl(v3, 16); v3 ^= v2
            v0 &+= v3; v3 = rotl(v3, 21); v3 ^= v0
            v2 &+= v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
        }

        let fullWords = message.count / 8
        for w in 0..<fullWords {
            var m: UInt64 = 0
            for i in 0..<8 { m |= UInt64(message[w * 8 + i]) << (8 * UInt64(i)) }
            v3 ^= m; round(); round(); v0 ^= m
        }
        var last = UInt64(message.count & 0xFF) << 56
        let tail = fullWords * 8
        for i in 0..<(message.count - tail) { last |= UInt64(message[tail + i]) << (8 * UInt64(i)) }
        v3 ^= last; round(); round(); v0 ^= last

        v2 ^= 0xFF
        round(); round(); round(); round()
        return v0 ^ v1 ^ v2 ^ v3
    }

    private static func rotl(_ x: UInt64, _ b: UInt64) -> UInt64 { (x << b) | (x >> (64 - b)) }
}
