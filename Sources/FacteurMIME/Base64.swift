/// Base64 (RFC 4648 §4), used by SASL (strict) and Content-Transfer-Encoding (RFC 2045 §6.8,
/// lenient: characters outside the alphabet, such as line breaks, are ignored).
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    public static func isAlphabet(_ byte: UInt8) -> Bool { value(byte) != nil }

    @usableFromInline
    static func value(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(byte - UInt8(ascii: "a") + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0") + 52)
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }

    public static func encode<C: Collection>(_ data: C) -> String where C.Element == UInt8 {
        var output: [UInt8] = []
        output.reserveCapacity((data.count + 2) / 3 * 4)
        var iterator = data.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next(), third = iterator.next()
            let bits = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            output.append(alphabet[Int(bits >> 18 & 0x3F)])
            output.append(alphabet[Int(bits >> 12 & 0x3F)])
            output.append(second == nil ? UInt8(ascii: "=") : alphabet[Int(bits >> 6 & 0x3F)])
            output.append(third == nil ? UInt8(ascii: "=") : alphabet[Int(bits & 0x3F)])
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes base64. `strict`: only alphabet characters and final padding are allowed and
    /// the length must be a multiple of 4 (SASL, RFC 4422). Otherwise other octets are
    /// skipped and decoding stops at the first "=" (MIME bodies).
    @inlinable
    public static func decode<C: Collection>(_ text: C, strict: Bool = false) -> [UInt8]? where C.Element == UInt8 {
        var output: [UInt8] = []
        output.reserveCapacity(text.count / 4 * 3)
        var bits: UInt32 = 0, count = 0, padding = 0, seen = 0
        for byte in text {
            if byte == UInt8(ascii: "=") {
                padding += 1
                seen += 1
                if !strict { break }
                continue
            }
            guard let sextet = value(byte) else {
                if strict { return nil }
                continue
            }
            if strict && padding > 0 { return nil }
            seen += 1
            bits = bits << 6 | sextet
            count += 6
            if count >= 8 {
                count -= 8
                output.append(UInt8(bits >> UInt32(count) & 0xFF))
                bits &= (1 << UInt32(count)) - 1
            }
        }
        if strict && (seen % 4 != 0 || padding > 2) { return nil }
        return output
    }
}
