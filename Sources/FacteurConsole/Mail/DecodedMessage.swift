import Foundation

/// A message made readable for the admin: main headers, the MIME part tree and decoded text.
public struct DecodedMessage: Sendable, Equatable {
    public struct Part: Sendable, Equatable {
        public var depth: Int
        public var mimeType: String
        public var size: Int
        public var name: String?
        public var charset: String?
    }

    /// Headers worth showing, in this order, when present.
    public static let shownHeaders = ["Date", "From", "To", "Cc", "Reply-To", "Subject", "Message-ID"]

    public var headers: MessageHeaders
    public var parts: [Part]
    /// Decoded text of the text parts (plain preferred, html with tags removed otherwise).
    /// nil when bodies are hidden.
    public var text: [String]?
    public var truncated: Bool

    /// The verdict of the topmost Authentication-Results field (the receiving server's own,
    /// RFC 8601 §5): "mx.example.com: spf=pass dkim=pass dmarc=pass"; nil when there is none.
    public var authenticationVerdict: String? {
        guard let value = headers["Authentication-Results"] else { return nil }
        let clauses = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let id = clauses.first?.split(separator: " ").first else { return nil }
        let results = clauses.dropFirst().compactMap { $0.split(separator: " ").first.map(String.init) }
        return "\(id): " + (results.isEmpty ? "none" : results.joined(separator: " "))
    }

    /// True when the verdict reports a failure of any method.
    public var authenticationFailed: Bool {
        guard let verdict = authenticationVerdict else { return false }
        return ["=fail", "=softfail", "=permerror", "=temperror", "=policy"].contains { verdict.contains($0) }
    }

    /// Decodes a raw message. Never fails: damaged input gives what could be read.
    public static func decode(_ raw: [UInt8], showBodies: Bool) -> DecodedMessage {
        let truncated = raw.count > ConsoleLimits.messageBytes
        let bytes = raw.prefix(ConsoleLimits.messageBytes)
        let (headerBlock, body) = MessageHeaders.split(bytes[...])
        let headers = MessageHeaders(block: headerBlock)
        var parts: [Part] = []
        var texts: [(mime: String, text: String)] = []
        walk(headers: headers, body: body, depth: 0, parts: &parts, texts: &texts)
        var lines: [String]? = nil
        if showBodies {
            let plain = texts.filter { $0.mime == "text/plain" }
            let chosen = plain.isEmpty ? texts.map { ($0.mime, stripTags($0.text)) } : plain.map { ($0.mime, $0.text) }
            var out: [String] = []
            for (i, t) in chosen.enumerated() {
                if i > 0 { out.append(""); out.append("──── next part ────") }
                // "\r\n" is one Character: split on scalars.
                let normalised = t.1.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
                for l in normalised.split(separator: "\n", omittingEmptySubsequences: false) {
                    if out.count >= ConsoleLimits.messageLines { break }
                    out.append(String(l))
                }
            }
            lines = out
        }
        return DecodedMessage(headers: headers, parts: parts, text: lines, truncated: truncated)
    }

    private static func walk(headers: MessageHeaders, body: ArraySlice<UInt8>, depth: Int,
                             parts: inout [Part], texts: inout [(mime: String, text: String)]) {
        guard parts.count < ConsoleLimits.mimeParts else { return }
        let ct = ContentType(headers["Content-Type"])
        let name = ct.parameters["name"] ?? ContentType(headers["Content-Disposition"].map { "x/x; " + $0 }).parameters["filename"]
        parts.append(Part(depth: depth, mimeType: ct.mimeType, size: body.count, name: name.map(EncodedWords.decode),
                          charset: ct.parameters["charset"]))
        if ct.type == "multipart", let boundary = ct.parameters["boundary"], !boundary.isEmpty, depth < ConsoleLimits.mimeDepth {
            for child in splitMultipart(body, boundary: boundary) {
                let (h, b) = MessageHeaders.split(child)
                walk(headers: MessageHeaders(block: h), body: b, depth: depth + 1, parts: &parts, texts: &texts)
            }
            return
        }
        if ct.mimeType == "message/rfc822", depth < ConsoleLimits.mimeDepth {
            let (h, b) = MessageHeaders.split(body)
            walk(headers: MessageHeaders(block: h), body: b, depth: depth + 1, parts: &parts, texts: &texts)
            return
        }
        let disposition = (headers["Content-Disposition"] ?? "").lowercased()
        guard ct.type == "text", !disposition.hasPrefix("attachment") else { return }
        let cte = (headers["Content-Transfer-Encoding"] ?? "7bit").lowercased().trimmingCharacters(in: .whitespaces)
        let decoded: [UInt8]
        switch cte {
        case "base64": decoded = TransferDecoding.base64(body)
        case "quoted-printable": decoded = TransferDecoding.quotedPrintable(body)
        default: decoded = Array(body)
        }
        texts.append((ct.mimeType, TransferDecoding.text(decoded, charset: ct.parameters["charset"])))
    }

    /// Body parts between "--boundary" lines, up to "--boundary--" (RFC 2046 §5.1.1).
    static func splitMultipart(_ body: ArraySlice<UInt8>, boundary: String) -> [ArraySlice<UInt8>] {
        let delimiter = Array(("--" + boundary).utf8)
        var out: [ArraySlice<UInt8>] = []
        var partStart: Int? = nil
        var lineStart = body.startIndex
        var i = body.startIndex
        while i <= body.endIndex {
            let atEnd = i == body.endIndex
            if atEnd || body[i] == 0x0A {
                var lineEnd = i
                if lineEnd > lineStart, body[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let line = body[lineStart..<lineEnd]
                let rest = line.dropFirst(delimiter.count)
                let isClose = rest.starts(with: [0x2D, 0x2D])
                // Only transport padding may follow the boundary (RFC 2046 §5.1.1): "--b1" is not "--b10".
                if line.starts(with: delimiter), isClose || rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
                    if let s = partStart {
                        // The CRLF before the delimiter belongs to the delimiter.
                        var e = lineStart
                        if e > s, body[e - 1] == 0x0A { e -= 1 }
                        if e > s, body[e - 1] == 0x0D { e -= 1 }
                        out.append(body[s..<max(s, e)])
                        if out.count >= ConsoleLimits.mimeParts { return out }
                    }
                    if isClose { return out }
                    partStart = atEnd ? body.endIndex : i + 1
                }
                lineStart = i + 1
            }
            i += 1
        }
        if let s = partStart, s < body.endIndex { out.append(body[s...]) }
        return out
    }

    /// Crude HTML to text for html-only mail: tags removed, common entities replaced.
    static func stripTags(_ html: String) -> String {
        var out = ""
        var inTag = false
        for ch in html {
            if ch == "<" { inTag = true; continue }
            if ch == ">" { inTag = false; continue }
            if !inTag { out.append(ch) }
        }
        return out.replacingOccurrences(of: "&nbsp;", with: " ").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }
}
