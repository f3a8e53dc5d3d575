/// RFC 2047 encoded words: `=?charset?B|Q?encoded-text?=`.
public enum EncodedWord {
    /// Decodes every encoded word in a header value. Whitespace between two adjacent encoded
    /// words is dropped (RFC 2047 §6.2); anything that is not a well-formed encoded word is
    /// left as it is. Leniency: encoded words inside quoted strings and words glued to other
    /// text are decoded too, as common mail readers do.
    public static func decode(_ value: String) -> String {
        let scalars = Array(value.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        var pendingWhitespace = String.UnicodeScalarView()
        var lastWasEncoded = false
        while index < scalars.count {
            if scalars[index] == "=", index + 1 < scalars.count, scalars[index + 1] == "?",
               let (decoded, next) = decodeWord(scalars, at: index) {
                if !lastWasEncoded { output.append(contentsOf: pendingWhitespace) }
                pendingWhitespace = String.UnicodeScalarView()
                output.append(contentsOf: decoded.unicodeScalars)
                index = next
                lastWasEncoded = true
                continue
            }
            let scalar = scalars[index]
            if scalar == " " || scalar == "\t" {
                pendingWhitespace.append(scalar)
            } else {
                output.append(contentsOf: pendingWhitespace)
                pendingWhitespace = String.UnicodeScalarView()
                output.append(scalar)
                lastWasEncoded = false
            }
            index += 1
        }
        output.append(contentsOf: pendingWhitespace)
        return String(output)
    }

    /// Decodes the encoded word starting at `start` (`=?`), returning the text and the index
    /// after `?=`.
    private static func decodeWord(_ scalars: [Unicode.Scalar], at start: Int) -> (String, Int)? {
        // =?charset?enc?text?=  — at most 75 characters (RFC 2047 §2); we allow more (leniency
        // for long words produced by broken mailers) but stop at whitespace.
        var parts: [String] = []
        var current = String.UnicodeScalarView()
        var index = start + 2
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == " " || scalar == "\t" { return nil }
            if scalar == "?" {
                if parts.count == 2 {
                    guard index + 1 < scalars.count, scalars[index + 1] == "=" else { return nil }
                    parts.append(String(current))
                    return decodeParts(parts).map { ($0, index + 2) }
                }
                parts.append(String(current))
                current = String.UnicodeScalarView()
            } else {
                current.append(scalar)
            }
            index += 1
        }
        return nil
    }

    private static func decodeParts(_ parts: [String]) -> String? {
        guard parts.count == 3, !parts[0].isEmpty else { return nil }
        // RFC 2231 §5: charset may carry "*language".
        let charset = String(parts[0].split(separator: "*", maxSplits: 1).first ?? "")
        let text = Array(parts[2].utf8)
        let bytes: [UInt8]
        switch parts[1].uppercased() {
        case "B": guard let decoded = Base64.decode(text) else { return nil }; bytes = decoded
        case "Q": bytes = QuotedPrintable.decode(text, underscoreIsSpace: true)
        default: return nil
        }
        return TextDecoding.decode(bytes, charset: charset)
    }
}
