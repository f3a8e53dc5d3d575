/// RFC 2231 parameter value continuations and extended values.
///
/// `title*0*=us-ascii'en'This%20is; title*1="fun"` is merged into one parameter. As Dovecot
/// does, the merged parameter keeps the extended form (`title*` = `us-ascii'en'This%20isfun`)
/// in BODYSTRUCTURE so clients that understand RFC 2231 can decode it; `decodedValue` gives
/// the text for our own use (boundary, charset, SEARCH).
enum RFC2231 {
    /// Merges `name*N` / `name*N*` continuations; other parameters pass through in order.
    static func merge(_ parameters: [BodyParameter]) -> [BodyParameter] {
        struct Pending { var segments: [Int: (value: String, extended: Bool)] = [:]; var position: Int; var name: String }
        var result: [BodyParameter?] = []
        var pending: [String: Pending] = [:]
        for parameter in parameters {
            guard let star = parameter.name.firstIndex(of: "*") else { result.append(parameter); continue }
            let base = String(parameter.name[..<star])
            var rest = parameter.name[parameter.name.index(after: star)...]
            let extended = rest.hasSuffix("*")
            if extended { rest = rest.dropLast() }
            guard let number = Int(rest), number < 100 else { result.append(parameter); continue }
            let key = base.lowercased()
            if pending[key] == nil {
                pending[key] = Pending(position: result.count, name: base)
                result.append(nil)
            }
            pending[key]?.segments[number] = (parameter.value, extended)
        }
        for (_, entry) in pending {
            let segments = entry.segments.sorted { $0.key < $1.key }
            guard let first = segments.first, first.key == 0 else { continue }
            let anyExtended = segments.contains { $0.value.extended }
            var value = ""
            for (index, segment) in segments.enumerated() {
                if !anyExtended || segment.value.extended {
                    value += segment.value.value
                } else if index == 0 {
                    value += "''" + percentEncode(segment.value.value)
                } else {
                    value += percentEncode(segment.value.value)
                }
            }
            result[entry.position] = BodyParameter(anyExtended ? entry.name + "*" : entry.name, value)
        }
        return result.compactMap { $0 }
    }

    /// Decodes an extended value `charset'language'percent-encoded`.
    static func decodedValue(_ value: String) -> String {
        let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { return value }
        let charset = parts[0].isEmpty ? "us-ascii" : String(parts[0])
        return TextDecoding.decode(percentDecode(String(parts[2])), charset: charsetAlias(charset))
    }

    /// `ansi-x3.4-1968` is the IANA name of US-ASCII.
    private static func charsetAlias(_ charset: String) -> String {
        charset.lowercased() == "ansi-x3.4-1968" ? "us-ascii" : charset
    }

    static func percentDecode(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = QuotedPrintable.hexValue(bytes[index + 1]), let low = QuotedPrintable.hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(bytes[index])
                index += 1
            }
        }
        return output
    }

    private static func percentEncode(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            let isPlain = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            if isPlain {
                output.append(Character(Unicode.Scalar(byte)))
            } else {
                let hex = Array("0123456789ABCDEF")
                output += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return output
    }
}
