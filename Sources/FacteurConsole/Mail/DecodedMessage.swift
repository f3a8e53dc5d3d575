import FacteurMIME
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
        let message = MIMEMessage(Array(raw.prefix(ConsoleLimits.messageBytes)))
        let headers = MessageHeaders(message.header)
        var parts: [Part] = []
        var texts: [(mime: String, text: String)] = []
        walk(message.root, in: message.bytes, depth: 0, parts: &parts, texts: &texts)
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

    /// One line per node of the MIME tree (down to `ConsoleLimits.mimeDepth`), and the decoded
    /// text of the text parts that are not attachments.
    private static func walk(_ part: MIMEPart, in bytes: [UInt8], depth: Int,
                             parts: inout [Part], texts: inout [(mime: String, text: String)]) {
        guard parts.count < ConsoleLimits.mimeParts else { return }
        let type = part.contentType
        let mimeType = type.value + "/" + type.subtype
        let disposition = part.header.first("Content-Disposition").flatMap(MIMEFieldValue.disposition)
        let name = type.parameter("name") ?? disposition?.parameter("filename")
        parts.append(Part(depth: depth, mimeType: mimeType, size: part.bodyRange.count, name: name.map(EncodedWord.decode),
                          charset: type.parameter("charset")))
        switch part.content {
        case .multipart(let children):
            guard depth < ConsoleLimits.mimeDepth else { return }
            for child in children { walk(child, in: bytes, depth: depth + 1, parts: &parts, texts: &texts) }
        case .message(let box):
            guard depth < ConsoleLimits.mimeDepth else { return }
            walk(box.part, in: bytes, depth: depth + 1, parts: &parts, texts: &texts)
        case .leaf:
            guard type.value == "text", disposition?.value != "attachment" else { return }
            let decoded = TextDecoding.decodeTransfer(bytes[part.bodyRange], encoding: part.transferEncoding)
            texts.append((mimeType, TextDecoding.decode(decoded, charset: type.parameter("charset"))))
        }
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
