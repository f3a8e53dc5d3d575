/// RFC 2047 encoded words in header values: "=?charset?B|Q?text?=". Whitespace between two
/// adjacent encoded words is dropped (§6.2); a malformed word is left as it is.
enum EncodedWords {
    static let maxWordLength = 1_000

    static func decode(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        var out = ""
        var rest = Substring(value)
        var pendingSpace = ""
        var lastWasEncoded = false
        while !rest.isEmpty {
            if rest.hasPrefix("=?"), let (text, after) = decodeWord(rest) {
                if !lastWasEncoded { out += pendingSpace }
                out += text
                pendingSpace = ""
                lastWasEncoded = true
                rest = after
                continue
            }
            let ch = rest.removeFirst()
            if ch == " " || ch == "\t" {
                pendingSpace.append(ch)
            } else {
                out += pendingSpace
                pendingSpace = ""
                out.append(ch)
                lastWasEncoded = false
            }
        }
        return out + pendingSpace
    }

    /// One word at the start of `s`: its text and what follows, or nil.
    private static func decodeWord(_ s: Substring) -> (String, Substring)? {
        let body = s.dropFirst(2)
        guard let q1 = body.firstIndex(of: "?") else { return nil }
        let charset = body[..<q1]
        let afterCharset = body[body.index(after: q1)...]
        guard let q2 = afterCharset.firstIndex(of: "?") else { return nil }
        let encoding = afterCharset[..<q2].uppercased()
        let payloadStart = afterCharset.index(after: q2)
        guard let end = afterCharset[payloadStart...].range(of: "?=") else { return nil }
        let payload = afterCharset[payloadStart..<end.lowerBound]
        guard payload.count <= maxWordLength, !payload.contains(" ") else { return nil }
        // RFC 2231 §5 language suffix: "utf-8*en".
        let cs = charset.split(separator: "*", maxSplits: 1).first.map(String.init)
        let bytes: [UInt8]
        switch encoding {
        case "B": bytes = TransferDecoding.base64(ArraySlice(Array(payload.utf8)))
        case "Q": bytes = TransferDecoding.quotedPrintable(ArraySlice(Array(payload.utf8)), underscoreIsSpace: true)
        default: return nil
        }
        return (TransferDecoding.text(bytes, charset: cs), afterCharset[end.upperBound...])
    }
}
