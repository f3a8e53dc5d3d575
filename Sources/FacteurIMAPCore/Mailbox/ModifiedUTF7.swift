/// Modified UTF-7 for mailbox names (RFC 3501 §5.1.3).
///
/// Printable US-ASCII except "&" stands for itself; "&" is "&-"; everything else is UTF-16
/// in modified BASE64 (`,` for `/`, no padding) between "&" and "-".
public enum ModifiedUTF7 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,".utf8)

    private static func value(of byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(byte - UInt8(ascii: "a") + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0") + 52)
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: ","): return 63
        default: return nil
        }
    }

    public static func encode(_ text: String) -> String {
        var output: [UInt8] = []
        var pending: [UInt16] = []

        func flush() {
            guard !pending.isEmpty else { return }
            output.append(UInt8(ascii: "&"))
            var bits: UInt32 = 0, count = 0
            for unit in pending {
                bits = (bits << 16) | UInt32(unit); count += 16
                while count >= 6 {
                    count -= 6
                    output.append(alphabet[Int((bits >> UInt32(count)) & 0x3F)])
                }
                bits &= (1 << UInt32(count)) - 1
            }
            if count > 0 { output.append(alphabet[Int((bits << UInt32(6 - count)) & 0x3F)]) }
            output.append(UInt8(ascii: "-"))
            pending = []
        }

        for scalar in text.unicodeScalars {
            if scalar.value >= 0x20 && scalar.value <= 0x7E {
                flush()
                output.append(UInt8(scalar.value))
                if scalar == "&" { output.append(UInt8(ascii: "-")) }
            } else {
                pending.append(contentsOf: Array(String(scalar).utf16))
            }
        }
        flush()
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes a wire name; nil if it is not valid modified UTF-7. With `strict` (the default)
    /// only the canonical form is accepted (re-encoding gives back the input), so one mailbox
    /// has exactly one wire spelling.
    public static func decode(_ wire: String, strict: Bool = true) -> String? {
        let bytes = Array(wire.utf8)
        var units: [UInt16] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte >= 0x20 && byte <= 0x7E else { return nil }
            guard byte == UInt8(ascii: "&") else {
                units.append(UInt16(byte)); index += 1; continue
            }
            index += 1
            if index < bytes.count && bytes[index] == UInt8(ascii: "-") {
                units.append(UInt16(UInt8(ascii: "&"))); index += 1; continue
            }
            var bits: UInt32 = 0, count = 0, produced = 0
            while true {
                guard index < bytes.count else { return nil }
                let current = bytes[index]; index += 1
                if current == UInt8(ascii: "-") { break }
                guard let sextet = value(of: current) else { return nil }
                bits = (bits << 6) | sextet; count += 6
                if count >= 16 {
                    count -= 16
                    units.append(UInt16((bits >> UInt32(count)) & 0xFFFF)); produced += 1
                    bits &= (1 << UInt32(count)) - 1
                }
            }
            // Leftover bits must be padding zeros shorter than one sextet-rounded unit.
            guard produced > 0, count < 6, bits == 0 else { return nil }
        }
        var result = String.UnicodeScalarView()
        var iterator = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): result.append(scalar)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        let text = String(result)
        if strict && encode(text) != wire { return nil }
        return text
    }
}
