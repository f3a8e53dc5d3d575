import Foundation

/// Content-Transfer-Encoding decoders and charset conversion, lenient as a reader must be.
enum TransferDecoding {
    /// RFC 2045 §6.7. Soft line breaks ("=" at end of line) are removed; a malformed "=XY"
    /// is kept as is (lenient: mail in the wild has them). `underscoreIsSpace` for RFC 2047 "Q".
    static func quotedPrintable(_ input: ArraySlice<UInt8>, underscoreIsSpace: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = input.startIndex
        while i < input.endIndex {
            let b = input[i]
            if b == UInt8(ascii: "=") {
                let n1 = i + 1 < input.endIndex ? input[i + 1] : nil
                let n2 = i + 2 < input.endIndex ? input[i + 2] : nil
                if n1 == UInt8(ascii: "\r"), n2 == UInt8(ascii: "\n") { i += 3; continue }
                if n1 == UInt8(ascii: "\n") { i += 2; continue }
                if let a = n1.flatMap(hexValue), let c = n2.flatMap(hexValue) {
                    out.append(a << 4 | c); i += 3; continue
                }
                out.append(b); i += 1
            } else if underscoreIsSpace && b == UInt8(ascii: "_") {
                out.append(UInt8(ascii: " ")); i += 1
            } else {
                out.append(b); i += 1
            }
        }
        return out
    }

    /// RFC 2045 §6.8; characters outside the alphabet (line breaks) are skipped.
    static func base64(_ input: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 4)
        var acc: UInt32 = 0
        var bits = 0
        for b in input {
            let v: UInt32
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): v = UInt32(b - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): v = UInt32(b - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = UInt32(b - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "+"), UInt8(ascii: "-"): v = 62
            case UInt8(ascii: "/"), UInt8(ascii: "_"): v = 63
            case UInt8(ascii: "="): return out
            default: continue
            }
            acc = (acc << 6) | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((acc >> UInt32(bits)) & 0xFF))
            }
        }
        return out
    }

    /// Bytes in a declared charset to text; unknown charsets are read as UTF-8 with replacements.
    static func text(_ bytes: [UInt8], charset: String?) -> String {
        let cs = (charset ?? "us-ascii").lowercased().trimmingCharacters(in: .whitespaces)
        switch cs {
        case "iso-8859-1", "latin1", "iso8859-1", "l1", "iso-8859-15", "latin-9":
            return String(decoding: bytes.map { UInt16($0) }, as: UTF16.self)
        case "windows-1252", "cp1252":
            return String(data: Data(bytes), encoding: .windowsCP1252)
                ?? String(decoding: bytes.map { UInt16($0) }, as: UTF16.self)
        case "utf-16", "utf-16be":
            return String(data: Data(bytes), encoding: .utf16BigEndian) ?? String(decoding: bytes, as: UTF8.self)
        case "utf-16le":
            return String(data: Data(bytes), encoding: .utf16LittleEndian) ?? String(decoding: bytes, as: UTF8.self)
        default:
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return b - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return b - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return b - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}
