import Foundation

/// Byte → text conversions for MIME: header octets, charsets (RFC 2046 §4.1.2) and the
/// content transfer encodings (RFC 2045 §6).
public enum TextDecoding {
    /// Header octets as a String: UTF-8 when valid (RFC 6532), otherwise Latin-1 so that no
    /// octet is lost.
    static func headerString<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        if let text = String(validating: Array(bytes), as: UTF8.self) { return text }
        return latin1(bytes)
    }

    static func latin1<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    /// Windows-1252 code points for 0x80–0x9F (undefined ones map to themselves).
    private static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// Decodes `bytes` in `charset`; unknown charsets and invalid input fall back to UTF-8
    /// with replacement characters, so SEARCH still matches the ASCII parts.
    public static func decode<C: Collection>(_ bytes: C, charset: String?) -> String where C.Element == UInt8 {
        let name = (charset ?? "us-ascii").lowercased().trimmingCharacters(in: .whitespaces)
        let array = Array(bytes)
        switch name {
        case "us-ascii", "ascii", "utf-8", "utf8", "":
            return String(decoding: array, as: UTF8.self)
        case "iso-8859-1", "iso8859-1", "latin1", "l1", "iso_8859-1":
            return latin1(array)
        case "windows-1252", "cp1252":
            return String(String.UnicodeScalarView(array.map { byte -> Unicode.Scalar in
                let value = (0x80...0x9F).contains(byte) ? cp1252High[Int(byte) - 0x80] : UInt32(byte)
                return Unicode.Scalar(value) ?? Unicode.Scalar(byte)
            }))
        default:
            if let encoding = foundationEncoding(name), let text = String(data: Data(array), encoding: encoding) {
                return text
            }
            return String(decoding: array, as: UTF8.self)
        }
    }

    private static func foundationEncoding(_ name: String) -> String.Encoding? {
        switch name {
        case "iso-8859-2", "latin2": return .isoLatin2
        case "windows-1250", "cp1250": return .windowsCP1250
        case "windows-1251", "cp1251": return .windowsCP1251
        case "windows-1253", "cp1253": return .windowsCP1253
        case "windows-1254", "cp1254": return .windowsCP1254
        case "utf-16": return .utf16
        case "utf-16be": return .utf16BigEndian
        case "utf-16le": return .utf16LittleEndian
        case "shift_jis", "shift-jis", "sjis": return .shiftJIS
        case "euc-jp": return .japaneseEUC
        case "iso-2022-jp": return .iso2022JP
        default: return nil
        }
    }

    /// Removes a Content-Transfer-Encoding (RFC 2045 §6): base64 and quoted-printable are
    /// decoded; 7bit, 8bit, binary and unknown encodings pass through.
    @inlinable
    public static func decodeTransfer<C: Collection>(_ bytes: C, encoding: String?) -> [UInt8] where C.Element == UInt8 {
        switch encoding?.lowercased() {
        case "base64": return Base64.decode(bytes) ?? []
        case "quoted-printable": return QuotedPrintable.decode(bytes)
        default: return Array(bytes)
        }
    }
}

/// Quoted-printable (RFC 2045 §6.7) and the "Q" encoding of RFC 2047 §4.2.
public enum QuotedPrintable {
    @usableFromInline
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    /// Decodes quoted-printable. `=` at a line end is a soft break; an invalid `=XX` is kept
    /// literally (RFC 2045 §6.7 note 1 recommends robustness); with `underscoreIsSpace`
    /// it decodes the RFC 2047 "Q" encoding.
    @inlinable
    public static func decode<C: Collection>(_ bytes: C, underscoreIsSpace: Bool = false) -> [UInt8] where C.Element == UInt8 {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "=") {
                // Soft line break: "=" then optional whitespace then (CR)LF.
                var look = index + 1
                while look < input.count, input[look] == 32 || input[look] == 9 { look += 1 }
                if look < input.count, input[look] == 13, look + 1 < input.count, input[look + 1] == 10 { index = look + 2; continue }
                if look < input.count, input[look] == 10 { index = look + 1; continue }
                if look == input.count { index = look; continue }
                if index + 2 < input.count, let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                    output.append(high << 4 | low)
                    index += 3
                    continue
                }
                output.append(byte)
                index += 1
            } else if underscoreIsSpace && byte == UInt8(ascii: "_") {
                output.append(32)
                index += 1
            } else {
                output.append(byte)
                index += 1
            }
        }
        return output
    }
}
